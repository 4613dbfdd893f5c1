// Shared by the recorder's process tests: a real `shearwater record` child, a publisher standing in for the broker,
// and the session file read back.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import { afterEach } from "vitest";
import { XPublisher } from "zeromq";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { readRecorderState } from "../../src/control/recorderStatus.ts";
import { parseRecordLine, type EventRecord, type MessageRecord, type SessionRecord } from "../../src/record.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { waitFor } from "../helpers/waitFor.ts";

const children: ChildProcess[] = [];
const sockets: XPublisher[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const s of sockets.splice(0)) s.close();
});

export interface RecorderChild {
  proc: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnShearwater(args: string[], prefix: string[] = []): RecorderChild {
  const [command, ...rest] = prefix.length ? prefix : [process.execPath];
  const proc = spawn(command, [...rest, ...(prefix.length ? [process.execPath] : []), BIN_PATH, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(proc);
  let err = "";
  proc.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  proc.stdout!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { proc, stderr: () => err, exit };
}

/** `shearwater record` into `logsDir`, resolved once its status says it is up. */
export async function startRecorder(logsDir: string, broker: string, extra: string[] = [], prefix: string[] = []): Promise<RecorderChild> {
  const child = spawnShearwater(["record", "--logs", logsDir, "--broker", broker, ...extra], prefix);
  await waitFor(
    async () => {
      if (child.proc.exitCode !== null) throw new Error(`recorder exited: ${child.stderr()}`);
      const s = await readRecorderState(logsDir);
      return s.alive && s.status?.pid === child.proc.pid;
    },
    { what: "the recorder to start", timeoutMs: 15_000 },
  );
  return child;
}

/** Stands in for the broker: binds where the recorder connects and publishes once the recorder has subscribed. */
export async function bindPublisher(endpoint: string): Promise<XPublisher> {
  // Every subscription is passed on, a repeated one too: a restarted recorder's can then be waited for.
  const pub = new XPublisher({ linger: 0, sendHighWaterMark: 0, verbosity: "allSubs" });
  sockets.push(pub);
  await pub.bind(endpoint);
  await pub.receive(); // the recorder's subscription
  return pub;
}

export async function readSession(logsDir: string): Promise<SessionRecord[]> {
  const text = await fs.readFile(logsPaths(logsDir).current, "utf8");
  return text.split("\n").filter(Boolean).map(parseRecordLine);
}

export const messagesOf = (recs: SessionRecord[]) => recs.filter((r): r is MessageRecord => r.kind === "message");
export const eventsOf = (recs: SessionRecord[], name: string) => recs.filter((r): r is EventRecord => r.kind === "event" && r.event === name);

export async function waitForMessages(logsDir: string, n: number, timeoutMs = 15_000): Promise<SessionRecord[]> {
  return waitFor(
    async () => {
      const recs = await readSession(logsDir);
      return messagesOf(recs).length >= n ? recs : null;
    },
    { what: `${n} messages recorded`, timeoutMs },
  );
}
