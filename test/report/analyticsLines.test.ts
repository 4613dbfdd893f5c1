// The analytics pane's lines: while only the index's counts are in, what the full report measures (chains, reply
// latency, tokens, cost) is marked as coming, never drawn as none or zero; once it is in, it is drawn.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyticsLines } from "../../components/analyticsLines.ts";
import { makeReport } from "../../src/report/makeReport.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { KNOWN, writeSession } from "./sessions.ts";

describe("the analytics pane's lines", () => {
  it("mark the full report's figures as coming until it is in", async () => {
    const logs = path.join(await tmpDir(), "logs");
    await writeSession(logs, KNOWN);
    const report = await makeReport(logs);
    const text = (complete: boolean) => analyticsLines(report, 100, complete).map((l) => l.text.trimEnd()).join("\n");

    const counts = text(false);
    expect(counts).toMatch(/Messages by agent \(messages\)\n {2}a +█+ +7/);
    expect(counts).toContain("chains, reply latency, tokens and cost: with the full report");
    expect(counts).not.toMatch(/^chains: |^tokens: /m);
    for (const title of ["Longest chains", "Reply latency p50 by pair", "Tokens by model", "Tokens by agent", "Cost by model"]) {
      expect(counts, title).toMatch(new RegExp(`${title}.*\\n {2}\\(comes with the full report, a scan of the session\\)(\\n|$)`));
    }
    expect(counts).not.toContain("a→b");

    const full = text(true);
    expect(full).toContain("chains: 6 (14 messages)");
    expect(full).toMatch(/a→b +█+ +300 {2}p95 1000 ms, n 5/);
    expect(full).not.toContain("comes with the full report");
  });
});
