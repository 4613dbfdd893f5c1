// Load and New (SPEC.md "Checkpoints"): checkpoint the active session, seal it, start the next one. The same code
// serves a running recorder (through its writer) and the CLI when no recorder runs (it takes the lock itself).
import type { MessageRecord, NewRecord } from "../record.ts";
import { checkpointRecords, createCheckpoint, readCheckpoint, verifyCheckpoint, type CheckpointInfo } from "./checkpoints.ts";
import { acquireLock } from "./lock.ts";
import { SessionWriter } from "./sessionWriter.ts";

export type SessionSwitch = { action: "new" } | { action: "load"; checkpoint: string };

export interface SwitchResult {
  /** The checkpoint taken of the session that was active. */
  saved: CheckpointInfo;
  sealed: string;
  session: string;
}

/**
 * Checkpoints the writer's session, then replaces it: empty for "new"; for "load", the checkpoint's messages copied
 * with new `seq` numbers and `loaded_from: {checkpoint, seq}`, payloads unchanged.
 */
export async function switchSession(writer: SessionWriter, logsDir: string, to: SessionSwitch): Promise<SwitchResult> {
  // Fail before any change: an unknown checkpoint, or one whose bytes changed (loading copies it whole anyway).
  const source = to.action === "load" ? await readCheckpoint(logsDir, to.checkpoint) : null;
  const check = source && (await verifyCheckpoint(logsDir, source.id));
  if (check && !check.ok) throw new Error(`checkpoint ${source!.id} cannot be loaded: ${check.reason}`);
  const sealed = writer.sessionId;
  const saved = await createCheckpoint(logsDir, await writer.snapshot(), `before ${to.action}`);
  const session = await writer.replaceSession(source ? copiedMessages(logsDir, source.id) : [], source?.id);
  return { saved, sealed, session };
}

/** "New" with no recorder running. */
export async function newSession(logsDir: string): Promise<string> {
  return (await withOwnWriter(logsDir, (w) => switchSession(w, logsDir, { action: "new" }))).session;
}

/** "Load" with no recorder running. */
export async function loadCheckpoint(logsDir: string, id: string): Promise<string> {
  return (await withOwnWriter(logsDir, (w) => switchSession(w, logsDir, { action: "load", checkpoint: id }))).session;
}

async function withOwnWriter<T>(logsDir: string, job: (w: SessionWriter) => Promise<T>): Promise<T> {
  const lock = await acquireLock(logsDir); // throws LockHeldError naming the recorder when one runs
  try {
    const writer = await SessionWriter.open(logsDir);
    try {
      return await job(writer);
    } finally {
      await writer.close();
    }
  } finally {
    await lock.release();
  }
}

async function* copiedMessages(logsDir: string, checkpoint: string): AsyncGenerator<NewRecord> {
  for await (const rec of checkpointRecords(logsDir, checkpoint)) {
    if (rec.kind !== "message") continue; // the old session's events (its start, gaps…) are not conversation
    const { v: _v, seq, ...rest } = rec as MessageRecord;
    yield { ...rest, loaded_from: { checkpoint, seq } };
  }
}
