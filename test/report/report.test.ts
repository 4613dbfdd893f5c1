// `shearwater report` through the real executable on hand-made sessions whose answers were counted by hand: counts
// per field, chains, reply latency percentiles, error rates, scopes (active session, checkpoint, all, time range),
// the terminal, Markdown and JSON outputs, bad usage.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { KNOWN, T0, writeSession } from "./sessions.ts";

function reportJson(...args: string[]): Report {
  const run = shearwaterSync("report", "--json", ...args);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

describe("shearwater report", () => {
  it("counts messages by agent, recipient, tier, chain type, tag, topic and hour", async () => {
    const logs = await tmpDir();
    await writeSession(logs, KNOWN);
    const r = reportJson("--logs", logs);
    expect(r.messages).toBe(15);
    expect(r.events).toBe(1);
    expect(r.messages_by_agent).toEqual({ a: 7, b: 5, c: 2, d: 1 });
    expect(Object.keys(r.messages_by_agent)).toEqual(["a", "b", "c", "d"]); // largest first
    expect(r.messages_by_recipient).toEqual({ a: 6, b: 5, "(none)": 2, c: 1, d: 1 });
    expect(r.messages_by_tier).toEqual({ 1: 1, 2: 7, 3: 7 });
    expect(r.messages_by_chain_type).toEqual({ request: 6, response: 6, broadcast: 1, error: 1, handoff: 1 });
    expect(r.messages_by_tag).toEqual({ deploy: 2, error: 1, urgent: 1 });
    expect(r.messages_by_topic).toEqual({ agents: 14, system: 1 });
    expect(r.messages_by_hour).toEqual({ "2026-11-24T10:00Z": 14, "2026-11-24T11:00Z": 1 });
    expect(r.messages_by_hour_of_day).toEqual({ 10: 14, 11: 1 });
    expect(r.busiest_hours).toEqual([{ hour: "2026-11-24T10:00Z", messages: 14 }, { hour: "2026-11-24T11:00Z", messages: 1 }]);
    expect(r.first_ts).toBe(new Date(T0).toISOString());
    expect(r.scope).toEqual({ what: "the active session", sessions: ["20261124T100000Z-test"], since: null, until: null });
  });

  it("measures chains, reply latency per pair (nearest-rank p50 / p95) and error rates", async () => {
    const logs = await tmpDir();
    await writeSession(logs, KNOWN);
    const r = reportJson("--logs", logs);
    expect(r.chains.count).toBe(6);
    expect(r.chains.messages).toBe(14);
    expect(r.chains.length).toMatchObject({ p50: 2, p95: 4, max: 4, n: 6 });
    expect(r.chains.duration_ms).toMatchObject({ p50: 300, p95: 3000, max: 3000 });
    expect(r.chains.handoffs).toBe(1);
    expect(r.chains.agents_per_chain).toMatchObject({ p50: 2, max: 3 });
    expect(r.chains.longest[0]).toEqual({ chain_id: "q6", messages: 4, duration_ms: 3000, handoffs: 1, agents: ["a", "c", "d"] });
    expect(r.reply_latency_ms).toEqual({
      "a→b": { p50: 300, p95: 1000, max: 1000, mean: 400, n: 5 },
      "a→c": { p50: 50, p95: 50, max: 50, mean: 50, n: 1 },
      "c→d": { p50: 2000, p95: 2000, max: 2000, mean: 2000, n: 1 },
    });
    expect(r.errors_by_agent.d).toEqual({ messages: 1, errors: 1, rate: 1 });
    expect(r.errors_by_agent.a).toEqual({ messages: 7, errors: 0, rate: 0 });
    expect(r.error_rate).toBe(0.0667);
  });

  it("covers only the time range asked for: a reply whose request is before it is not timed", async () => {
    const logs = await tmpDir();
    await writeSession(logs, KNOWN);
    const r = reportJson("--logs", logs, "--since", "2026-11-24T10:00:05Z", "--until", "2026-11-24T10:59:00Z");
    expect(r.messages).toBe(5);
    expect(r.reply_latency_ms).toEqual({
      "a→c": { p50: 50, p95: 50, max: 50, mean: 50, n: 1 },
      "c→d": { p50: 2000, p95: 2000, max: 2000, mean: 2000, n: 1 },
    });
    expect(r.scope.since).toBe("2026-11-24T10:00:05.000Z");
  });

  it("reports on a checkpoint's conversation only, and on every session with --all", async () => {
    const logs = await tmpDir();
    const file = await writeSession(logs, KNOWN.slice(0, 4));
    const cp = shearwaterSync("checkpoint", "--logs", logs, "first four");
    expect(cp.status).toBe(0);
    const id = /checkpoint (\S+):/.exec(cp.stdout)![1];
    const rest = await writeSession(path.join(logs, "scratch"), KNOWN, "20261124T090000Z-old");
    const later = (await fs.readFile(rest, "utf8")).split("\n").slice(5).join("\n");
    await fs.appendFile(file, later);
    expect(reportJson("--logs", logs, "--checkpoint", id).messages).toBe(4);
    expect(reportJson("--logs", logs).messages).toBe(15);
    expect(reportJson("--logs", logs, "--session", "20261124T100000Z-test").messages).toBe(15);

    await fs.mkdir(path.join(logs, "sessions"), { recursive: true, mode: 0o700 });
    await fs.rename(rest, path.join(logs, "sessions", "20261124T090000Z-old.jsonl"));
    const all = reportJson("--logs", logs, "--all");
    expect(all.messages).toBe(30);
    expect(all.scope.what).toBe("all sessions");
    expect(all.scope.sessions).toHaveLength(2);
  });

  it("draws bar charts on the terminal with labels made safe, and writes Markdown tables", async () => {
    const logs = await tmpDir();
    await writeSession(logs, [...KNOWN, { at: 10, meta: { agent: "evil\u001b[31m|*x", ace_tier: 3 } }]);
    const text = shearwaterSync("report", "--logs", logs);
    expect(text.status).toBe(0);
    expect(text.stdout).not.toContain("\u001b");
    expect(text.stdout).toMatch(/Messages by agent \(messages\)\n {2}a +█+ +7\n/);
    expect(text.stdout).toContain("evil␛[31m|*x");
    expect(text.stdout).toMatch(/a→b +█+ +300 {2}p95 1000 ms, n 5/);
    const md = shearwaterSync("report", "--logs", logs, "--md");
    expect(md.status).toBe(0);
    expect(md.stdout).toContain("## Reply latency p50 by pair (asker→answerer)");
    expect(md.stdout).toContain("| a→b | 300 | ███ | p95 1000 ms, n 5 |");
    expect(md.stdout).toContain("| c→d | 2,000 | ████████████████████ | p95 2000 ms, n 1 |");
    expect(md.stdout).toContain("| evil␛\\[31m\\|\\*x | 1 |");
  });

  it("refuses bad usage with exit 2 and a hint, and says when there is no active session", async () => {
    const logs = await tmpDir();
    for (const args of [["--json", "--md"], ["--all", "--checkpoint", "x"], ["--since", "yesterday"], ["--price", "gpt-5=1"], ["--since", "1h", "--until", "2h"]]) {
      const run = shearwaterSync("report", "--logs", logs, ...args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/use one of|bad time|bad --price|later than/);
    }
    const none = shearwaterSync("report", "--logs", logs);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("no active session");
  });
});
