// The launcher end to end with real processes: agents come and go through the CLI, one recorder is shared, the last
// to leave stops it with a final checkpoint, a killed agent leaves it recording, a dead recorder is restarted.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sendMessage } from "../../src/broker/referenceBroker.ts";
import { processExists, readRecorderState } from "../../src/control/recorderStatus.ts";
import { AGENTS_FILE } from "../../src/launcher/agents.ts";
import { listCheckpoints } from "../../src/storage/checkpoints.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { agentProcess, shearwater, testBroker, tmpDir } from "./support.ts";

async function launch(logsDir: string, sub: string, agent: string, pid: number, ...more: string[]) {
  const r = await shearwater(["launch", "--agent", agent, "--json", "--logs", logsDir, "--broker", sub, "--pid", String(pid), ...more], { logsDir });
  expect(r.stderr).not.toMatch(/Error|error:/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as {
    action: string;
    session: string;
    recorder: { pid: number; started: boolean };
    broker: { connected: boolean };
    checkpoint: { id: string } | null;
    transcript: { jsonl: string; markdown: string; messages: number };
  };
}

async function messagesRecorded(logsDir: string): Promise<number> {
  return (await readRecorderState(logsDir)).status?.session.messages ?? 0;
}

describe("shearwater launch / stop", () => {
  it("shares one recorder between agents and stops it with a final checkpoint when the last leaves", async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    const { pub, sub } = await testBroker();
    const a = agentProcess();
    const b = agentProcess();

    const first = await launch(logsDir, sub, "alpha", a.pid!);
    expect(first.recorder.started).toBe(true);
    expect(first.action).toBe("continue");
    expect(first.broker.connected).toBe(true);
    const second = await launch(logsDir, sub, "beta", b.pid!);
    expect(second.recorder).toEqual({ pid: first.recorder.pid, started: false });

    await sendMessage(pub, { from: "alpha", to: "beta", text: "first words #hello" });
    await waitFor(async () => (await messagesRecorded(logsDir)) >= 1, { what: "the first message recorded" });

    const leaveA = await shearwater(["stop", "--agent", "alpha", "--json", "--logs", logsDir]);
    expect(JSON.parse(leaveA.stdout)).toEqual({ stopped: false, remaining: ["beta"] });
    expect(processExists(first.recorder.pid)).toBe(true);
    await sendMessage(pub, { from: "beta", text: "still recording after alpha left" });
    await waitFor(async () => (await messagesRecorded(logsDir)) >= 2, { what: "recording to go on" });

    const leaveB = await shearwater(["stop", "--agent", "beta", "--json", "--logs", logsDir]);
    expect(JSON.parse(leaveB.stdout)).toEqual({ stopped: true, remaining: [] });
    expect(processExists(first.recorder.pid)).toBe(false);
    const checkpoints = await listCheckpoints(logsDir);
    expect(checkpoints.length).toBeGreaterThanOrEqual(1);
    expect(checkpoints[0].messages).toBe(2);
    expect((await readRecorderState(logsDir)).status?.state).toBe("stopped");
  });

  it("hands the conversation back as JSONL and Markdown transcripts, and loads a checkpoint by id", async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    const { pub, sub } = await testBroker();
    const a = agentProcess();
    await launch(logsDir, sub, "alpha", a.pid!);
    await sendMessage(pub, { from: "planner", to: "coder", text: "Can you fix the login test? #tests" });
    await sendMessage(pub, { from: "coder", to: "planner", text: "On it \u001b[31mred\u001b[0m" });
    await waitFor(async () => (await messagesRecorded(logsDir)) >= 2, { what: "two messages recorded" });

    const again = await launch(logsDir, sub, "alpha", a.pid!);
    expect(again.transcript.messages).toBe(2);
    const md = await fs.readFile(again.transcript.markdown, "utf8");
    expect(md).toContain("**planner** → coder");
    expect(md).toContain("Can you fix the login test? #tests");
    expect(md).not.toContain("\u001b");
    const lines = (await fs.readFile(again.transcript.jsonl, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((r) => r.payload.text)).toEqual(["Can you fix the login test? #tests", "On it \u001b[31mred\u001b[0m"]);

    const cp = await shearwater(["checkpoint", "before-new", "--logs", logsDir]);
    expect(cp.code).toBe(0);
    const [checkpoint] = await listCheckpoints(logsDir);
    const fresh = await launch(logsDir, sub, "alpha", a.pid!, "--new");
    expect(fresh.action).toBe("new");
    expect(fresh.session).not.toBe(again.session);
    expect(fresh.transcript.messages).toBe(0);

    const loaded = await launch(logsDir, sub, "alpha", a.pid!, "--load", checkpoint.id);
    expect(loaded.action).toBe("load");
    expect(loaded.checkpoint?.id).toBe(checkpoint.id);
    expect(loaded.transcript.messages).toBe(2);
    await shearwater(["stop", "--logs", logsDir]);
  });

  it("keeps recording when an agent is killed; the next agent notices it is gone", async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    const { pub, sub } = await testBroker();
    const a = agentProcess();
    const first = await launch(logsDir, sub, "alpha", a.pid!);
    a.kill("SIGKILL");
    await waitFor(() => a.exitCode !== null || a.signalCode !== null, { what: "the agent to die" });

    await sendMessage(pub, { from: "x", text: "after the agent died" });
    await waitFor(async () => (await messagesRecorded(logsDir)) >= 1, { what: "recording to go on" });
    expect((await readRecorderState(logsDir)).alive).toBe(true);

    const b = agentProcess();
    const second = await launch(logsDir, sub, "beta", b.pid!);
    expect(second.recorder).toEqual({ pid: first.recorder.pid, started: false });
    const registry = JSON.parse(await fs.readFile(path.join(logsDir, AGENTS_FILE), "utf8"));
    expect(registry.agents.map((e: { name: string }) => e.name)).toEqual(["beta"]);

    const leave = await shearwater(["stop", "--agent", "beta", "--json", "--logs", logsDir]);
    expect(JSON.parse(leave.stdout).stopped).toBe(true);
  });

  it("restarts a recorder that died, with recovery of its torn last line", async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    const { pub, sub } = await testBroker();
    const a = agentProcess();
    const first = await launch(logsDir, sub, "alpha", a.pid!);
    await sendMessage(pub, { from: "x", text: "before the crash" });
    await waitFor(async () => (await messagesRecorded(logsDir)) >= 1, { what: "a message recorded" });
    process.kill(first.recorder.pid, "SIGKILL");
    await waitFor(() => !processExists(first.recorder.pid), { what: "the recorder to die" });
    await fs.appendFile(path.join(logsDir, "current_session.jsonl"), '{"v":1,"seq":99,"kind":"mess');

    const second = await launch(logsDir, sub, "alpha", a.pid!);
    expect(second.recorder.started).toBe(true);
    expect(second.recorder.pid).not.toBe(first.recorder.pid);
    const repairs = await fs.readFile(path.join(logsDir, "recovery", "crash_recovery.jsonl"), "utf8");
    expect(repairs).toContain("mess");
    expect(second.transcript.messages).toBe(1);
    await shearwater(["stop", "--logs", logsDir]);
  });

  it("warns when the broker is unreachable, and stop works when no recorder runs", async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    const r = await shearwater(["launch", "--agent", "alpha", "--logs", logsDir, "--broker", "tcp://127.0.0.1:1"], { logsDir });
    expect(r.code).toBe(0); // an unreachable broker is a warning: the recorder records once it is up
    expect(r.stderr).toMatch(/broker unreachable at tcp:\/\/127\.0\.0\.1:1/);
    const stop = await shearwater(["stop", "--logs", logsDir]);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/recorder stopped/);
    const again = await shearwater(["stop", "--logs", logsDir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/no recorder was running/);
  });
});
