// Real processes for the launcher tests: the CLI, stand-in agent processes, a broker, and clean-up of them all.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { Publisher } from "zeromq";
import { afterEach } from "vitest";
import { startBroker, type BrokerEndpoints, type RunningBroker } from "../../src/broker/referenceBroker.ts";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { processExists, readRecorderState } from "../../src/control/recorderStatus.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { waitFor } from "../helpers/waitFor.ts";
// Imported before the afterEach below is registered: after-hooks run in reverse order, so recorders are stopped
// before their temporary folders are removed.
export { tmpDir } from "../helpers/tmp.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const folders = new Set<string>();
const children = new Set<ChildProcess>();
const brokers = new Set<RunningBroker>();

/** Runs `shearwater ARGS` without a terminal; the folder's recorder is cleaned up after the test. */
export function shearwater(args: string[], { logsDir, env = {} }: { logsDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  if (logsDir) folders.add(logsDir);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN_PATH, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A process standing in for an agent (its pid is what the launcher watches). */
export function agentProcess(): ChildProcess {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  children.add(child);
  return child;
}

/** Remembers a folder whose recorder must not outlive the test. */
export function watchFolder(logsDir: string): void {
  folders.add(logsDir);
}

export async function testBroker(): Promise<BrokerEndpoints> {
  const endpoints = { pub: await freeEndpoint(), sub: await freeEndpoint() };
  brokers.add(await startBroker(endpoints));
  return endpoints;
}

/** Whether the folder's active session holds a message with this text. */
export async function recorded(logsDir: string, text: string): Promise<boolean> {
  const data = await fs.readFile(path.join(logsDir, "current_session.jsonl"), "utf8").catch(() => "");
  return data.split("\n").some((line) => line.includes(JSON.stringify(text)));
}

export interface TestPublisher {
  send(from: string, text: string, to?: string): Promise<void>;
}

/**
 * One long-lived publisher for a test. A PUB socket drops what it sends until the subscriptions reach it through the
 * broker, so it first sends warm-up messages (topic "warmup") until the recorder has one.
 */
export async function testPublisher(pub: string, logsDir: string): Promise<TestPublisher> {
  const socket = new Publisher({ linger: 0 });
  sockets.add(socket);
  socket.connect(pub);
  await waitFor(
    async () => {
      await socket.send(["warmup", JSON.stringify({ sender: "test", text: "warm-up" })]);
      return recorded(logsDir, "warm-up");
    },
    { intervalMs: 100, what: "a warm-up message to be recorded" },
  );
  return {
    send: async (from, text, to) => {
      await socket.send(["chat", JSON.stringify({ sender: from, ...(to ? { recipient: to } : {}), text })]);
    },
  };
}

const sockets = new Set<Publisher>();

afterEach(async () => {
  for (const s of sockets) s.close();
  sockets.clear();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
  for (const dir of folders) {
    const { status } = await readRecorderState(dir);
    if (status && processExists(status.pid) && status.logs_dir && status.state !== "stopped") process.kill(status.pid, "SIGKILL");
  }
  folders.clear();
  for (const b of brokers) {
    b.stop();
    await b.done;
  }
  brokers.clear();
});
