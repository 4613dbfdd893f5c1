// The analytics pane's first figures come from the search index: they equal the scan's counts of the same session,
// and a checkpoint's are those of its prefix.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startIndexer } from "../../src/search/backgroundIndexer.ts";
import { indexReport } from "../../src/report/indexReport.ts";
import { makeReport } from "../../src/report/makeReport.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { KNOWN, writeSession } from "./sessions.ts";

const COUNTS = ["messages", "messages_by_agent", "messages_by_recipient", "messages_by_tier", "messages_by_chain_type", "messages_by_tag",
  "messages_by_topic", "messages_by_hour", "messages_by_hour_of_day", "busiest_hours", "first_ts", "last_ts"] as const;

describe("report figures from the index", () => {
  it("equal the scan's counts, and cover only a checkpoint's prefix when asked", async () => {
    const logs = path.join(await tmpDir(), "logs");
    const file = await writeSession(logs, KNOWN);
    expect(indexReport(logs, { file, what: "x", session: "s" })).toBeNull(); // no index yet
    await startIndexer(logs).exited;
    const fromIndex = indexReport(logs, { file, what: "the active session", session: "20261124T100000Z-test" })!;
    const scanned = await makeReport(logs);
    for (const k of COUNTS) expect(fromIndex[k], k).toEqual(scanned[k]);
    expect(fromIndex.errors_by_agent.d).toEqual({ messages: 1, errors: 1, rate: 1 });

    const firstTwo = (await import("node:fs/promises")).readFile(file, "utf8").then((t) => t.split("\n").slice(0, 3).join("\n").length + 1);
    const prefix = indexReport(logs, { file, bytes: await firstTwo, what: "checkpoint", session: "s" })!;
    expect(prefix.messages).toBe(2);
    expect(prefix.messages_by_agent).toEqual({ a: 1, b: 1 });
  });
});
