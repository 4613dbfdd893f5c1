// Both examples run for real: the Node agent (library) and the Python agent (CLI) share one recorder; killing the
// Node agent leaves it recording; the last agent to leave stops it with a final checkpoint.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { processExists, readRecorderState } from "../../src/control/recorderStatus.ts";
import { listCheckpoints } from "../../src/storage/checkpoints.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { recorded, testBroker, testPublisher, tmpDir, watchFolder } from "./support.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const started = new Set<ChildProcessWithoutNullStreams>();

function runExample(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
  started.add(child);
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (out += d));
  const lines = () => out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines, exited, output: () => out };
}

const nodeAgent = (name: string, env: NodeJS.ProcessEnv) =>
  runExample(process.execPath, ["examples/node-agent.mjs", name], env); // plain Node: no TypeScript loader
const pythonAgent = (name: string, env: NodeJS.ProcessEnv) =>
  runExample("python3", ["examples/python_agent.py", name], { ...env, SHEARWATER_BIN: "" });

describe("examples", () => {
  it("a Node agent and a Python agent share a recorder; the last one out stops it", { timeout: 60_000 }, async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    watchFolder(logsDir);
    const { pub, sub } = await testBroker();
    const env = { SHEARWATER_LOGS: logsDir, SHEARWATER_BROKER: sub };
    try {
      const node = nodeAgent("node_agent", env);
      await waitFor(() => node.lines().find((l) => l.ready), { timeoutMs: 25_000, what: `the Node agent ready: ${node.output()}` });
      const publisher = await testPublisher(pub, logsDir);
      await publisher.send("node_agent", "hello from node #example");
      await waitFor(() => recorded(logsDir, "hello from node #example"), { what: "the message recorded" });

      const py = pythonAgent("python_agent", env);
      const ready = await waitFor(() => py.lines().find((l) => l.ready), { timeoutMs: 25_000, what: `the Python agent ready: ${py.output()}` });
      expect(ready).toMatchObject({ action: "continue" });
      expect(ready.context_messages).toBeGreaterThanOrEqual(2); // warm-up(s) and the message
      const pid = (await readRecorderState(logsDir)).status!.pid;

      node.child.stdin.end();
      expect(await node.exited).toBe(0);
      expect(node.lines().find((l) => l.left)).toMatchObject({ recorder_stopped: false, remaining: ["python_agent"] });
      expect(processExists(pid)).toBe(true);

      py.child.stdin.end();
      expect(await py.exited).toBe(0);
      await waitFor(() => !processExists(pid), { what: "the recorder to stop" });
      const [last] = await listCheckpoints(logsDir);
      expect(last.messages).toBeGreaterThanOrEqual(2);
    } finally {
      for (const c of started) if (c.exitCode === null) c.kill("SIGKILL");
    }
  });

  it("killing the Node agent leaves the recorder recording", { timeout: 60_000 }, async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    watchFolder(logsDir);
    const { pub, sub } = await testBroker();
    try {
      const node = nodeAgent("node_agent", { SHEARWATER_LOGS: logsDir, SHEARWATER_BROKER: sub });
      await waitFor(() => node.lines().find((l) => l.ready), { timeoutMs: 25_000, what: `the Node agent ready: ${node.output()}` });
      node.child.kill("SIGKILL");
      await node.exited;
      const publisher = await testPublisher(pub, logsDir);
      await publisher.send("x", "recorded after the agent was killed");
      await waitFor(() => recorded(logsDir, "recorded after the agent was killed"), { what: "recording to go on" });
      expect((await readRecorderState(logsDir)).alive).toBe(true);
    } finally {
      for (const c of started) if (c.exitCode === null) c.kill("SIGKILL");
    }
  });
});
