// A logs folder with a sealed session holding every kind of record the recorder writes (JSON payloads, binary and
// invalid frames, an oversize stand-in, control bytes and bidi controls, a message spanning several compressed
// blocks, events), checkpoints into it (one hashed from the start, one chained), and a new active session; a large
// sealed session of random lines (slow to compress or encrypt, for kills mid-way); and what a session file reads as.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { messageFields } from "../../src/recorder/frames.ts";
import { createCheckpoint, snapshotOfFile, type CheckpointInfo } from "../../src/storage/checkpoints.ts";
import { acquireLock } from "../../src/storage/lock.ts";
import { ensureLogsDir } from "../../src/storage/logsDir.ts";
import { sealedFile } from "../../src/storage/sessionFile.ts";
import { streamEntries } from "../../src/storage/sessionReader.ts";
import { newSession } from "../../src/storage/sessions.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { HOSTILE } from "../helpers/hostileText.ts";

const LIMIT = 64 << 20;
const b = (s: string) => Buffer.from(s);

/** The message frames: `many` small ones between the special ones, so the session spans several blocks. */
function framesOf(i: number): Buffer[] {
  switch (i % 50) {
    case 7:
      return [b("bin"), Buffer.from([0, 1, 2, 0xff, 0x1b, 0x0a])];
    case 13:
      return [b("chat"), b(JSON.stringify({ text: `controls ${HOSTILE} \u0000\u0001 ${i}`, n: 12345678901234567890 }))];
    case 21:
      return [Buffer.from([0xff, 0xfe]), b("{not json")];
    default:
      return [b("agents.chat"), b(JSON.stringify({ sender: `agent${i % 3}`, recipient: "all", text: `message ${i} about deploying the database` }))];
  }
}

export interface SealedFolder {
  dir: string;
  sessionId: string;
  plain: string;
  /** The sealed session's bytes as written. */
  bytes: Buffer;
  checkpoints: CheckpointInfo[];
}

export async function sealedFolder(dir: string, messages = 3000): Promise<SealedFolder> {
  const w = await SessionWriter.open(dir);
  const sessionId = w.sessionId;
  await w.appendMany(Array.from({ length: messages / 2 }, (_, i) => ({ kind: "message" as const, ...messageFields(framesOf(i), LIMIT), meta: {} })));
  const first = await createCheckpoint(dir, await w.snapshot(), "half way");
  await w.append({ kind: "message", topic: "huge", payload: { text: "x".repeat(3 << 20) + " needle-in-huge" }, meta: {} });
  await w.append({ kind: "message", topic: "big", oversize: { bytes: 1 << 30, frames: 2, sha256: "0".repeat(64), limit: LIMIT }, meta: {} });
  await w.append({ kind: "event", event: "gap", reason: "test", dropped: 3 });
  await w.appendMany(Array.from({ length: messages / 2 }, (_, i) => ({ kind: "message" as const, ...messageFields(framesOf(i + messages), LIMIT), meta: {} })));
  await w.close();
  const lock = await acquireLock(dir);
  const chained = await createCheckpoint(dir, await snapshotOfFile(dir), "chained").finally(() => lock.release());
  await newSession(dir); // seals it (with its own checkpoint "before new")
  const plain = sealedFile(dir, sessionId);
  return { dir, sessionId, plain, bytes: await fs.readFile(plain), checkpoints: [first, chained] };
}

/** A sealed session of `mib` MiB of lines with random words: slow enough to compress that a kill lands mid-way. */
export async function bigSealed(dir: string, id: string, mib: number): Promise<{ file: string; bytes: Buffer }> {
  const paths = await ensureLogsDir(dir);
  await fs.mkdir(paths.sessions, { recursive: true, mode: 0o700 });
  const lines = [JSON.stringify({ v: 1, seq: 1, ts: "2026-11-24T01:00:00.000Z", kind: "event", event: "session_started", session: id })];
  for (let seq = 2, size = 0; size < mib << 20; seq++) {
    const line = JSON.stringify({ v: 1, seq, ts: "2026-11-24T01:00:00.000Z", kind: "message", topic: "t", payload: { text: randomBytes(300).toString("base64") }, meta: {} });
    lines.push(line);
    size += line.length + 1;
  }
  const bytes = Buffer.from(lines.join("\n") + "\n");
  const file = path.join(paths.sessions, `${id}.jsonl`);
  await fs.writeFile(file, bytes, { mode: 0o600 });
  return { file, bytes };
}

/** SHA-256 of the lines a session file reads as, through the readers' seam (any stored form). */
export async function sessionBytes(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const e of streamEntries(file)) hash.update(`${e.raw}\n`);
  return hash.digest("hex");
}
