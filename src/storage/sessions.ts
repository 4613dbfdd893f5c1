// Load and New (docs/SPEC.md "Checkpoints"): checkpoint the active session, seal it, start the next one. The same code
// serves a running recorder (through its writer) and the CLI when no recorder runs (it takes the lock itself).
import type { MessageRecord } from "../record.ts";
import { checkpointEntries, createCheckpoint, readCheckpoint, verifyCheckpoint, type CheckpointInfo } from "./checkpoints.ts";
import { acquireLock } from "./lock.ts";
import { memberText } from "./memberText.ts";
import { PAYLOAD_JSON, type AppendRecord } from "./recordJson.ts";
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
 * with new `seq` numbers and `loaded_from: {checkpoint, seq}`, each payload's text copied byte for byte. Nothing
 * changes unless all of it succeeds: an unknown checkpoint, one whose bytes changed, one with a damaged line, a
 * failed write — the active session stays active, as it was.
 */
export async function switchSession(writer: SessionWriter, logsDir: string, to: SessionSwitch): Promise<SwitchResult> {
  const source = to.action === "load" ? await readCheckpoint(logsDir, to.checkpoint) : null;
  const check = source && (await verifyCheckpoint(logsDir, source.id));
  if (check && !check.ok) throw new Error(`checkpoint ${source!.id} cannot be loaded: ${check.reason}`);
  const sealed = writer.sessionId;
  let saved: CheckpointInfo | undefined;
  const session = await writer.replaceSession(source ? copiedMessages(logsDir, source.id) : [], {
    loadedFrom: source?.id,
    beforeSeal: async (active) => void (saved = await createCheckpoint(logsDir, active, `before ${to.action}`)),
  });
  return { saved: saved!, sealed, session };
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

/** The checkpoint's messages as appends; a damaged line fails the load (before anything changed). */
async function* copiedMessages(logsDir: string, checkpoint: string): AsyncGenerator<AppendRecord> {
  for await (const entry of checkpointEntries(logsDir, checkpoint)) {
    if (!entry.record) throw new Error(`checkpoint ${checkpoint} cannot be loaded: its line at byte ${entry.offset} is damaged (${entry.damaged})`);
    if (entry.record.kind !== "message") continue; // the old session's events (its start, gaps…) are not conversation
    const { v: _v, seq, ...rest } = entry.record as MessageRecord;
    const payloadText = rest.payload === undefined ? undefined : memberText(entry.raw, "payload");
    yield { ...rest, loaded_from: { checkpoint, seq }, ...(payloadText !== undefined ? { [PAYLOAD_JSON]: Buffer.from(payloadText) } : {}) };
  }
}
