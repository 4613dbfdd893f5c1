// Shared by the recorder benchmarks: the publisher child, a temporary logs folder, the recorder in this process.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Recorder, type RecorderOptions } from "../../src/recorder/recorder.ts";
import { defaultRules } from "../../src/recorder/rulesFile.ts";
import type { AppendRecord } from "../../src/storage/recordJson.ts";

const PUBLISHER = fileURLToPath(new URL("./publisher.ts", import.meta.url));
const DATA = fileURLToPath(new URL("../../.bench-data/", import.meta.url));

export async function freeEndpoint(): Promise<string> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return `tcp://127.0.0.1:${port}`;
}

export interface Publisher {
  done: Promise<{ sent: number; ms: number }>;
  stop(): void;
}

/** `cpu`: run the publisher on this core only (taskset), away from the process measured. */
export function startPublisher(opts: { endpoint: string; count: number; size: number; rate: number; subscribers?: number; cpu?: number }): Publisher {
  const { cpu, ...config } = opts;
  const argv = [process.execPath, "--import", "tsx", PUBLISHER, JSON.stringify({ subscribers: 1, ...config })];
  const [command, ...args] = cpu === undefined ? argv : ["taskset", "-c", String(cpu), ...argv];
  const child: ChildProcess = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
  const done = new Promise<{ sent: number; ms: number }>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(JSON.parse(out));
    });
    child.on("exit", (code) => reject(new Error(`publisher exited (${code}) before reporting`)));
  });
  return { done, stop: () => child.stdin!.end() };
}

export async function benchLogsDir(name: string): Promise<string> {
  await fs.mkdir(DATA, { recursive: true });
  return fs.mkdtemp(path.join(DATA, `${name}-`));
}

/** The real recorder in this process; `onDurable` sees every record once it is durable. */
export async function startBenchRecorder(
  logsDir: string,
  broker: string,
  onDurable: (recs: AppendRecord[]) => void,
  writer?: RecorderOptions["writer"],
): Promise<Recorder> {
  return Recorder.start({
    logsDir,
    brokers: [broker],
    topics: [],
    checkpointEveryMs: 0,
    rules: defaultRules(),
    maxMessageBytes: 64 << 20,
    writer,
    onDurable,
  });
}

export function waitUntil(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (probe()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 2);
    };
    tick();
  });
}

/** The number in a bench payload, for messages only. */
export function benchSeq(r: AppendRecord): number | undefined {
  return r.kind === "message" ? (r.payload as { seq?: number } | undefined)?.seq : undefined;
}
