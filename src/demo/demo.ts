// `shearwater demo` without its screen: an embedded broker, the recorder on a demo logs folder (seeded with two
// checkpoints the first time), and three simulated agents talking. `stop()` ends everything it started.
import os from "node:os";
import path from "node:path";
import type { BrokerEndpoints } from "../broker/referenceBroker.ts";
import { sendControl } from "../control/client.ts";
import { readRecorderState } from "../control/recorderStatus.ts";
import { listCheckpoints } from "../storage/checkpoints.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { readPrivateFile, readPrivateFileSync } from "../storage/privateFile.ts";
import { ensureRecorder, stopRecorder } from "../launcher/recorderProcess.ts";
import { startDemoBroker, type DemoBroker } from "./demoBroker.ts";
import { startSimulatedAgents, type SimulatedAgents } from "./simulatedAgents.ts";

/**
 * The demo's logs folder: the user's own state folder, never a fixed name in the shared temp folder (where another
 * user could create it first and plant links in it). Kept between runs, so its seeded checkpoints are made once.
 */
export function defaultDemoLogs(env = process.env, platform = process.platform): string {
  if (platform === "win32") return path.join(env.LOCALAPPDATA || path.join(os.homedir(), "AppData", "Local"), "shearwater", "demo");
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(os.homedir(), ".local", "state");
  return path.join(state, "shearwater", "demo");
}

export interface Demo {
  logsDir: string;
  broker: DemoBroker;
  recorderPid: number;
  agents: SimulatedAgents;
  stop(): Promise<void>;
}

export interface DemoOptions {
  logsDir?: string;
  perMinute?: number;
  /** Broker endpoints; default docs/SPEC.md's when free, else free ports. */
  endpoints?: BrokerEndpoints;
  onProgress?: (line: string) => void;
}

export async function startDemo({
  logsDir = defaultDemoLogs(),
  perMinute = 300,
  endpoints,
  onProgress = () => {},
}: DemoOptions = {}): Promise<Demo> {
  const broker = await startDemoBroker(endpoints);
  if (broker.note) onProgress(broker.note);
  let agents: SimulatedAgents | undefined;
  try {
    // A recorder left from an earlier demo listens to that demo's broker: start ours afresh.
    if (await stopRecorder(logsDir)) onProgress("stopped the recorder of an earlier demo");
    const { pid } = await ensureRecorder({ logsDir, brokers: [broker.endpoints.sub] });
    onProgress(`recorder pid ${pid} writing to ${logsDir}`);
    await waitConnected(logsDir);
    agents = await startSimulatedAgents(broker.endpoints.pub, { seed: Date.now() % 100_000 });
    await agents.join((agent) => joined(logsDir, agent));
    if ((await listCheckpoints(logsDir)).length === 0) await seed(logsDir, agents, onProgress);
    agents.talk(perMinute);
    const running = agents;
    const onExit = () => {
      // Open ZeroMQ sockets (the broker's proxy above all) would hold up the process's exit forever.
      running.close();
      broker.stop();
      stopRecorderOnExit(logsDir);
    };
    process.on("exit", onExit);
    return {
      logsDir,
      broker,
      recorderPid: pid,
      agents,
      async stop() {
        process.off("exit", onExit);
        running.close();
        await stopRecorder(logsDir);
        broker.stop();
        await broker.done;
      },
    };
  } catch (err) {
    agents?.close();
    await stopRecorder(logsDir).catch(() => null);
    broker.stop();
    throw err;
  }
}

/**
 * The recorder runs detached: when the demo is ended by a signal instead of Q, it is still told to stop (SIGTERM is
 * its graceful stop). Synchronous, as "exit" handlers must be.
 */
function stopRecorderOnExit(logsDir: string): void {
  try {
    const status = JSON.parse(readPrivateFileSync(logsPaths(logsDir).status)) as { pid?: number; state?: string };
    if (status.pid && status.state !== "stopped") process.kill(status.pid, "SIGTERM");
  } catch {
    // no status or no such process: nothing left to stop
  }
}

/** Two checkpoints a few dozen messages apart, so that L has something to load. */
async function seed(logsDir: string, agents: SimulatedAgents, onProgress: (line: string) => void): Promise<void> {
  for (const [count, label] of [[120, "design-review"], [80, "before-release"]] as const) {
    const target = agents.sent + count;
    await agents.burst(count);
    await settled(logsDir, target);
    await sendControl(logsDir, "checkpoint", { label });
    onProgress(`checkpoint "${label}" taken`);
  }
}

/** Whether the active session has the agent's "joined" message (read while the session is still small). */
async function joined(logsDir: string, agent: string): Promise<boolean> {
  const data = await readPrivateFile(logsPaths(logsDir).current).catch(() => "");
  return data.includes(`"text":"${agent} joined"`);
}

/** Until the recorder has `target` messages, or its count stopped growing over two status updates. */
async function settled(logsDir: string, target: number): Promise<void> {
  let last = { count: -1, updated: "", unchanged: 0 };
  await until(async () => {
    const st = (await readRecorderState(logsDir)).status;
    const count = st?.session.messages ?? 0;
    if (count >= target) return true;
    if (st && st.updated_at !== last.updated) {
      last = { count, updated: st.updated_at, unchanged: count === last.count ? last.unchanged + 1 : 0 };
    }
    return last.unchanged >= 2;
  }, "the seed messages to be recorded");
}

async function waitConnected(logsDir: string): Promise<void> {
  await until(async () => (await readRecorderState(logsDir)).status?.endpoints.some((e) => e.connected) ?? false, "the recorder to connect to the demo broker");
}

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
