import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { createCheckpoint, snapshotOfFile } from "../../src/storage/checkpoints.ts";
import { ensureLogsDir } from "../../src/storage/logsDir.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

interface Run {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function start(...args: string[]): Run {
  const child = spawn(process.execPath, [BIN_PATH, "view", ...args], { env: { ...process.env, NO_COLOR: "1" } });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function run(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const r = start(...args);
  const code = await r.exit;
  return { code, out: r.out(), err: r.err() };
}

const started = (session: string) =>
  JSON.stringify({ v: 1, seq: 1, ts: "2026-11-24T01:00:00.000Z", kind: "event", event: "session_started", session });
function message(seq: number, text: string, meta: object = { agent: "planner", recipient: "coder", ace_tier: 2, chain_type: "request" }): string {
  return JSON.stringify({ v: 1, seq, ts: `2026-11-24T01:02:${String(seq).padStart(2, "0")}.000Z`, kind: "message", topic: "agents", payload: { text }, meta });
}

async function logsWith(lines: string[]): Promise<{ logs: string; current: string }> {
  const logs = path.join(await tmpDir(), "logs");
  const p = await ensureLogsDir(logs);
  await fs.writeFile(p.current, lines.map((l) => l + "\n").join(""));
  return { logs, current: p.current };
}

describe("shearwater view", () => {
  it("prints one human line per record: events marked, damaged lines marked, escapes made visible", async () => {
    const { logs } = await logsWith([
      started("s1"),
      message(2, "hello\nthere"),
      "{torn",
      message(4, "\x1b[2J\x1b]0;owned\x07wiped?", { agent: "mallory" }),
    ]);
    const r = await run("--logs", logs);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")).toEqual([
      '01:00:00 · session_started {"session":"s1"}',
      "01:02:02 planner → coder [2/request] hello there",
      expect.stringMatching(/^⚠ damaged line at byte \d+: .+: \{torn$/),
      "01:02:04 mallory ␛[2J␛]0;owned␇wiped?",
      "",
    ]);
    expect(r.out).not.toContain("\x1b");
  });

  it("prints the last N records, and JSON lines exactly as stored with --json", async () => {
    const lines = [started("s1"), ...Array.from({ length: 30 }, (_, i) => message(i + 2, `m${i + 2}`))];
    const { logs } = await logsWith(lines);
    const r = await run("--logs", logs, "--tail", "3", "--json");
    expect(r.code).toBe(0);
    expect(r.out).toBe(lines.slice(-3).join("\n") + "\n");
  });

  it("prints a checkpoint's records only, and its last N", async () => {
    const { logs, current } = await logsWith([started("s1"), message(2, "before one"), message(3, "before two")]);
    const cp = await createCheckpoint(logs, await snapshotOfFile(logs), "first");
    await fs.appendFile(current, message(4, "after") + "\n");
    const [all, last] = await Promise.all([run("--logs", logs, "--checkpoint", cp.id), run("--logs", logs, "--checkpoint", cp.id, "--tail", "1")]);
    expect(all.code).toBe(0);
    expect(all.out).toContain("before two");
    expect(all.out).not.toContain("after");
    expect(last.out.trim().split("\n")).toEqual(["01:02:03 planner → coder [2/request] before two"]);
  });

  it("follows new records, across a sealed and replaced session, until interrupted", async () => {
    const { logs, current } = await logsWith([started("s1"), ...Array.from({ length: 20 }, (_, i) => message(i + 2, `old ${i + 2}`))]);
    const r = start("--logs", logs, "--follow", "--tail", "2");
    await waitFor(() => r.out().includes("old 21"), { what: "the last records" });
    expect(r.out()).not.toContain("old 19");
    await fs.appendFile(current, message(22, "fresh") + "\n" + message(23, "half").slice(0, 20));
    await waitFor(() => r.out().includes("fresh"), { what: "an appended record" });
    await fs.rename(current, path.join(logs, "sessions", "s1.jsonl"));
    await fs.writeFile(current, started("s2") + "\n" + message(2, "next session") + "\n");
    await waitFor(() => r.out().includes("next session"), { what: "the new session's records" });
    expect(r.err()).toContain("new session");
    expect(r.out()).not.toContain("half");
    r.child.kill("SIGINT");
    expect(await r.exit).toBe(0);
  });

  it("exits 2 on bad usage and 1 when there is nothing to view", async () => {
    const { logs } = await logsWith([started("s1")]);
    // independent runs, side by side
    const [badTail, followCheckpoint, missing, noFolder, noCheckpoint] = await Promise.all([
      run("--logs", logs, "--tail", "-4"),
      run("--logs", logs, "--follow", "--checkpoint", "x"),
      run("--logs", path.join(logs, "nope")),
      run("--logs", path.join(logs, "nope"), "--follow"),
      run("--logs", logs, "--checkpoint", "nope"),
    ]);
    expect(badTail.code).toBe(2);
    expect(followCheckpoint.code).toBe(2);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no active session/);
    expect(noFolder.code).toBe(1);
    expect(noFolder.err).toMatch(/no logs folder/);
    expect(noCheckpoint.code).toBe(1);
    expect(noCheckpoint.err).toMatch(/no checkpoint/);
  });

  it("prints a sealed session by its id, and refuses what cannot be a session id", async () => {
    const { logs } = await logsWith([started("s-active"), message(2, "now")]);
    await fs.writeFile(path.join(logs, "sessions", "s-old.jsonl"), [started("s-old"), message(2, "before"), message(3, "after")].map((l) => `${l}\n`).join(""));
    const outside = path.join(path.dirname(logs), "outside.jsonl"); // beside the logs folder, reachable by ../
    await fs.writeFile(outside, `${started("outside")}\n${message(2, "not of this folder")}\n`);

    const sealed = await run("--logs", logs, "--session", "s-old");
    expect([sealed.code, sealed.out.trim().split("\n").slice(1)]).toEqual([0, ["01:02:02 planner → coder [2/request] before", "01:02:03 planner → coder [2/request] after"]]);
    expect((await run("--logs", logs, "--session", "s-old", "--tail", "1")).out).toBe("01:02:03 planner → coder [2/request] after\n");
    expect((await run("--logs", logs, "--session", "s-active", "--tail", "1")).out).toBe("01:02:02 planner → coder [2/request] now\n");

    for (const id of ["../outside", "../../" + path.basename(path.dirname(logs)) + "/outside", "/etc/passwd", "a/../../outside"]) {
      const r = await run("--logs", logs, "--session", id);
      expect([r.code, r.out], id).toEqual([1, ""]);
      expect(r.err).toMatch(/not a session id/);
    }
    const followSealed = await run("--logs", logs, "--session", "s-old", "--follow");
    expect([followSealed.code, followSealed.err]).toEqual([2, expect.stringMatching(/sealed and never changes/)]);
    const both = await run("--logs", logs, "--session", "s-old", "--checkpoint", "x");
    expect(both.code).toBe(2);
  });
});
