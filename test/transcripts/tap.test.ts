// Live taps with real processes: a recorder (`shearwater record --tap claude=DIR`) and an agent stand-in, a child
// process appending to its transcript the way the vendor does, one line in two pieces. Every line is recorded once,
// within a second; a restart, graceful or a SIGKILL, neither repeats nor skips a line.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { readRecorderState } from "../../src/control/recorderStatus.ts";
import type { MessageRecord, SessionRecord } from "../../src/record.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { readSession, startRecorder } from "../recorder/support.ts";
import { startAgent } from "./tapAgent.ts";

let uuid = 0;
const claudeLine = (text: string) =>
  JSON.stringify({ type: "user", uuid: `u${++uuid}`, parentUuid: null, sessionId: "s", timestamp: new Date().toISOString(), message: { role: "user", content: text } });

async function tapped(logs: string): Promise<MessageRecord[]> {
  const recs = await readSession(logs).catch(() => [] as SessionRecord[]);
  return recs.filter((r): r is MessageRecord => r.kind === "message" && r.topic === "claude_code");
}

/** Waits until the session holds the text, and returns when it was seen there. */
async function seen(logs: string, text: string): Promise<number> {
  await waitFor(async () => (await tapped(logs)).some((r) => r.meta.text === text), { what: `"${text}" recorded`, intervalMs: 10 });
  return Date.now();
}

describe("record --tap", () => {
  it("records each new line once, within a second, a line written in two pieces once whole; old lines stay out", async () => {
    const dir = await tmpDir();
    const projects = path.join(dir, "projects", "-home-u-proj");
    await fs.mkdir(projects, { recursive: true });
    const old = path.join(projects, "old.jsonl");
    await fs.writeFile(old, `${claudeLine("history before the tap")}\n`);
    const logs = path.join(dir, "logs");
    await startRecorder(logs, await freeEndpoint(), ["--tap", `claude=${path.join(dir, "projects")}`, "--checkpoint-every", "0"]);
    const agent = startAgent();
    const file = path.join(projects, "s.jsonl");
    const latencies: number[] = [];
    for (const [i, split] of [undefined, 40, undefined, undefined].entries()) {
      const text = `message ${i}`;
      const writtenAt = await agent.append(i === 3 ? old : file, claudeLine(text), split);
      latencies.push((await seen(logs, text)) - writtenAt);
    }
    const recs = await tapped(logs);
    expect(recs.map((r) => r.meta.text)).toEqual(["message 0", "message 1", "message 2", "message 3"]);
    expect(recs.map((r) => r.meta.source?.line)).toEqual([1, 2, 3, 2]);
    for (const ms of latencies) expect(ms).toBeLessThan(1000);
    await fs.rm(old); // the agent's cleanup: what was recorded stays, and the status counts the file as vanished
    const status = await waitFor(async () => {
      const s = (await readRecorderState(logs)).status;
      return s?.taps?.vanished === 1 ? s : null;
    }, { what: "the status to count the vanished transcript" });
    expect(status.taps).toMatchObject({ files: 1, records: 4, vanished: 1, errors: 0 });
    expect((await tapped(logs)).map((r) => r.meta.text)).toContain("message 3");
  });

  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    it(`resumes after a restart (${signal}) without a duplicate or a gap`, async () => {
      const dir = await tmpDir();
      const folder = path.join(dir, "projects");
      await fs.mkdir(folder);
      const logs = path.join(dir, "logs");
      const broker = await freeEndpoint();
      const args = ["--tap", `claude=${folder}`, "--checkpoint-every", "0"];
      const agent = startAgent();
      const file = path.join(folder, "s.jsonl");
      let recorder = await startRecorder(logs, broker, args);
      for (let i = 0; i < 3; i++) await agent.append(file, claudeLine(`before ${i}`));
      await seen(logs, "before 2");
      recorder.proc.kill(signal); // SIGKILL: the positions' file may not have been saved since the last lines
      await recorder.exit;
      for (let i = 0; i < 3; i++) await agent.append(file, claudeLine(`while down ${i}`));
      await agent.append(path.join(folder, "new.jsonl"), claudeLine("a new file while down"));
      recorder = await startRecorder(logs, broker, args);
      await agent.append(file, claudeLine("after"));
      await seen(logs, "after");
      await seen(logs, "a new file while down");
      const texts = (await tapped(logs)).map((r) => r.meta.text);
      expect(texts.filter((t) => t !== "a new file while down")).toEqual(["before 0", "before 1", "before 2", "while down 0", "while down 1", "while down 2", "after"]);
      expect(texts.filter((t) => t === "a new file while down")).toHaveLength(1);
      recorder.proc.kill("SIGTERM");
      await recorder.exit;
    });
  }
});

describe("taps for a recorder the launcher starts", () => {
  it("passes launch --tap to the recorder it starts", { timeout: 60_000 }, async () => {
    const logs = await tmpDir();
    const dir = await tmpDir();
    await fs.mkdir(path.join(dir, "project"));
    const file = path.join(dir, "project", "s.jsonl");
    const launch = spawn(process.execPath, [BIN_PATH, "launch", "--agent", "claude_code", "--no-menu", "--tap", `claude=${dir}`, "--logs", logs, "--broker", await freeEndpoint()]);
    expect(await new Promise((resolve) => launch.on("exit", resolve))).toBe(0);
    await fs.writeFile(file, claudeLine("hello through a launcher's tap") + "\n");
    await waitFor(async () => (await tapped(logs)).some((r) => r.meta.text === "hello through a launcher's tap"), { what: "the tapped line" });
    expect(spawnSync(process.execPath, [BIN_PATH, "launch", "--agent", "x", "--tap", "vim"], { encoding: "utf8" })).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--tap takes claude, gemini or codex (optionally =DIR), not "vim"'),
    });
    spawnSync(process.execPath, [BIN_PATH, "stop", "--logs", logs]);
  });
});
