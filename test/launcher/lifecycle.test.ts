// The launcher end to end with real processes: agents come and go, one recorder is shared, the last to leave stops
// it with a final checkpoint, a killed agent leaves it recording, a dead recorder is restarted by the next launch.
// The first test goes through the CLI (`launch --json` without a terminal, `stop --agent`); the others call the
// library in this process on behalf of stand-in agent processes, which is quicker and exercises the same recorder.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sendControl } from "../../src/control/client.ts";
import { processExists, readRecorderState } from "../../src/control/recorderStatus.ts";
import { AGENTS_FILE } from "../../src/launcher/agents.ts";
import { PersistenceLauncher } from "../../src/launcher/PersistenceLauncher.ts";
import { writeTranscript } from "../../src/launcher/transcript.ts";
import { listCheckpoints } from "../../src/storage/checkpoints.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { agentProcess, recorded, shearwater, testBroker, testPublisher, tmpDir, watchFolder } from "./support.ts";

async function launchCli(logsDir: string, sub: string, agent: string, pid: number) {
  const r = await shearwater(["launch", "--agent", agent, "--json", "--logs", logsDir, "--broker", sub, "--pid", String(pid)], { logsDir });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as {
    action: string;
    recorder: { pid: number; started: boolean };
    broker: { connected: boolean };
    transcript: { jsonl: string; markdown: string; messages: number };
  };
}

async function stopCli(logsDir: string, ...args: string[]) {
  const r = await shearwater(["stop", "--json", "--logs", logsDir, ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { stopped: boolean; remaining: string[]; final_checkpoint: unknown };
}

async function folder(): Promise<string> {
  const logsDir = path.join(await tmpDir(), "logs");
  watchFolder(logsDir);
  return logsDir;
}

describe("the launcher with real processes", () => {
  it("CLI: agents share one recorder; the last to leave stops it with a final checkpoint", { timeout: 90_000 }, async () => {
    const logsDir = await folder();
    const { pub, sub } = await testBroker();
    const [a, b] = [agentProcess(), agentProcess()];

    const first = await launchCli(logsDir, sub, "alpha", a.pid!);
    expect(first).toMatchObject({ action: "continue", recorder: { started: true }, broker: { connected: true } });
    const publisher = await testPublisher(pub, logsDir);
    await publisher.send("planner", "Can you fix the login test? #tests", "coder");
    await waitFor(() => recorded(logsDir, "Can you fix the login test? #tests"), { what: "the message recorded" });

    const second = await launchCli(logsDir, sub, "beta", b.pid!);
    expect(second.recorder).toEqual({ pid: first.recorder.pid, started: false });
    // The second agent gets the conversation so far as context.
    const md = await fs.readFile(second.transcript.markdown, "utf8");
    expect(md).toContain("**planner** → coder");
    expect(md).toContain("Can you fix the login test? #tests");
    const jsonl = (await fs.readFile(second.transcript.jsonl, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(jsonl.at(-1).payload.text).toBe("Can you fix the login test? #tests");

    expect(await stopCli(logsDir, "--agent", "alpha")).toEqual({ stopped: false, remaining: ["beta"], final_checkpoint: null });
    expect(processExists(first.recorder.pid)).toBe(true);
    await publisher.send("beta", "still recording after alpha left");
    await waitFor(() => recorded(logsDir, "still recording after alpha left"), { what: "recording to go on" });

    const stopped = await stopCli(logsDir, "--agent", "beta");
    expect(processExists(first.recorder.pid)).toBe(false);
    expect((await readRecorderState(logsDir)).status?.state).toBe("stopped");
    const [last] = await listCheckpoints(logsDir);
    expect(stopped).toEqual({ stopped: true, remaining: [], final_checkpoint: { outcome: "taken", checkpoint: last.id } });
    const lines = (await fs.readFile(path.join(logsDir, "current_session.jsonl"), "utf8").catch(() => "")) ||
      (await fs.readFile(last.file, "utf8"));
    expect(lines).toBeTruthy();
    expect(last.last_seq).toBeGreaterThan(0);
    expect(last.messages).toBeGreaterThanOrEqual(3); // a warm-up and the two messages, all in the final checkpoint

    // With no recorder running, stop still succeeds.
    expect(await stopCli(logsDir)).toEqual({ stopped: false, remaining: [], final_checkpoint: null });
  });

  it("a killed agent leaves the recorder recording; the next agent's arrival drops it", async () => {
    const logsDir = await folder();
    const { pub, sub } = await testBroker();
    const a = agentProcess();
    const first = await new PersistenceLauncher({ logsDir, broker: sub, menu: false, pid: a.pid! }).onAgentConnected("alpha");
    a.kill("SIGKILL");
    await waitFor(() => a.exitCode !== null || a.signalCode !== null, { what: "the agent to die" });

    const publisher = await testPublisher(pub, logsDir);
    await publisher.send("x", "after the agent died");
    await waitFor(() => recorded(logsDir, "after the agent died"), { what: "recording to go on" });
    expect((await readRecorderState(logsDir)).alive).toBe(true);

    const b = agentProcess();
    const beta = new PersistenceLauncher({ logsDir, broker: sub, menu: false, pid: b.pid! });
    expect((await beta.onAgentConnected("beta")).recorder).toEqual({ pid: first.recorder.pid, started: false });
    const registry = JSON.parse(await fs.readFile(path.join(logsDir, AGENTS_FILE), "utf8"));
    expect(registry.agents.map((e: { name: string }) => e.name)).toEqual(["beta"]);
    expect(await beta.onAgentDisconnected()).toEqual({ stopped: true, remaining: [] });
    expect(processExists(first.recorder.pid)).toBe(false);
  });

  it("a dead recorder is restarted by the next launch, with recovery of its torn last line", async () => {
    const logsDir = await folder();
    const { pub, sub } = await testBroker();
    const agent = new PersistenceLauncher({ logsDir, broker: sub, menu: false, pid: process.pid });
    const first = await agent.onAgentConnected("alpha");
    const publisher = await testPublisher(pub, logsDir);
    await publisher.send("x", "before the crash");
    await waitFor(() => recorded(logsDir, "before the crash"), { what: "a message recorded" });
    process.kill(first.recorder.pid, "SIGKILL");
    await waitFor(() => !processExists(first.recorder.pid), { what: "the recorder to die" });
    await fs.appendFile(path.join(logsDir, "current_session.jsonl"), '{"v":1,"seq":99,"kind":"mess');

    const second = await agent.onAgentConnected("alpha");
    expect(second.recorder.started).toBe(true);
    expect(second.recorder.pid).not.toBe(first.recorder.pid);
    const repairs = await fs.readFile(path.join(logsDir, "recovery", "crash_recovery.jsonl"), "utf8");
    expect(repairs.trim().split("\n").length).toBeGreaterThanOrEqual(1);
    const texts: unknown[] = [];
    for await (const r of second.messages()) if (r.kind === "message") texts.push((r.payload as { text: string }).text);
    expect(texts).toContain("before the crash");
    expect((await agent.onAgentDisconnected()).stopped).toBe(true);
  });

  it("loads a checkpoint or starts a new session, and hands back that conversation", async () => {
    const logsDir = await folder();
    const { pub, sub } = await testBroker();
    const base = { logsDir, broker: sub, menu: false as const, pid: process.pid };
    await new PersistenceLauncher(base).onAgentConnected("alpha");
    const publisher = await testPublisher(pub, logsDir);
    await publisher.send("planner", "the plan \u001b[31min red\u001b[0m");
    await waitFor(() => recorded(logsDir, "the plan \u001b[31min red\u001b[0m"), { what: "a message recorded" });
    await sendControl(logsDir, "checkpoint", { label: "plan" });
    const [checkpoint] = await listCheckpoints(logsDir);

    const fresh = await new PersistenceLauncher({ ...base, choice: { action: "new" } }).onAgentConnected("alpha");
    expect(fresh.action).toBe("new");
    const none = await writeTranscript(logsDir, "alpha", await fresh.recentMessages(), { title: "new" });
    expect(none.messages).toBe(0);

    const agent = new PersistenceLauncher({ ...base, choice: { action: "load", checkpoint: checkpoint.id } });
    const loaded = await agent.onAgentConnected("alpha");
    expect(loaded.action).toBe("load");
    expect(loaded.checkpoint?.id).toBe(checkpoint.id);
    expect(loaded.session).not.toBe(fresh.session);
    const t = await writeTranscript(logsDir, "alpha", await loaded.recentMessages(), { title: "loaded" });
    expect(t.messages).toBe(checkpoint.messages);
    const md = await fs.readFile(t.markdown, "utf8");
    expect(md).toContain("the plan ␛[31min red␛[0m");
    expect(md).not.toContain("\u001b");
    await agent.onAgentDisconnected();
  });

  it("an unreachable broker is a warning, not a failure", async () => {
    const logsDir = await folder();
    const r = await shearwater(["launch", "--agent", "alpha", "--logs", logsDir, "--broker", "tcp://127.0.0.1:1"], { logsDir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/broker unreachable at tcp:\/\/127\.0\.0\.1:1/);
    expect(r.stdout).toMatch(/continuing, session \S+, recorder pid \d+ \(started\)/);
  });
});
