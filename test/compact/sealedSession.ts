// A logs folder with a sealed session holding every kind of record the recorder writes (JSON payloads, binary and
// invalid frames, an oversize stand-in, control bytes and bidi controls, a message spanning several compressed
// blocks, events), checkpoints into it (one hashed from the start, one chained), and a new active session.
import fs from "node:fs/promises";
import { messageFields } from "../../src/recorder/frames.ts";
import { createCheckpoint, snapshotOfFile, type CheckpointInfo } from "../../src/storage/checkpoints.ts";
import { acquireLock } from "../../src/storage/lock.ts";
import { sealedFile } from "../../src/storage/sessionFile.ts";
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
