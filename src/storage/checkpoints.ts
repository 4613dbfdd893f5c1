// Checkpoints: a named, hashed prefix of a session file. Nothing is copied: the file records the prefix length and
// the SHA-256 the writer keeps running, so creating one costs the same on a 10 MB and a 1 GB session.
import fs from "node:fs/promises";
import path from "node:path";
import { parseRecordLine, timestamp, type SessionRecord } from "../record.ts";
import { writeFileAtomic } from "./atomicFile.ts";
import { ensurePrivateDir, logsPaths } from "./logsDir.ts";
import { PrefixDigest } from "./prefixDigest.ts";
import { openPrivate, readPrivateFile } from "./privateFile.ts";
import { lineStartBefore } from "./recovery.ts";
import { compactUtc, readSessionId, sealedFile } from "./sessionFile.ts";
import { streamEntries, type Entry } from "./sessionReader.ts";
import type { Snapshot } from "./sessionWriter.ts";

export const CHECKPOINT_VERSION = 1;

export interface CheckpointInfo {
  id: string;
  label: string;
  created_at: string;
  session: string;
  messages: number;
  records: number;
  bytes: number;
  last_seq: number;
  sha256: string;
  /** Path of the checkpoint file (not stored in it). */
  file: string;
}

export class CheckpointNotFoundError extends Error {}

export async function createCheckpoint(logsDir: string, snap: Snapshot, label = ""): Promise<CheckpointInfo> {
  const dir = logsPaths(logsDir).checkpoints;
  await ensurePrivateDir(dir);
  const now = new Date();
  const base = `${compactUtc(now, true)}_${slug(label)}`;
  let id = base;
  for (let n = 2; await fs.access(path.join(dir, `${id}.json`)).then(() => true, () => false); n++) id = `${base}-${n}`;
  const body = {
    v: CHECKPOINT_VERSION,
    id,
    label,
    created_at: timestamp(now),
    session: snap.sessionId,
    messages: snap.messages,
    records: snap.records,
    bytes: snap.bytes,
    last_seq: snap.lastSeq,
    sha256: snap.sha256,
  };
  const file = path.join(dir, `${id}.json`);
  await writeFileAtomic(file, JSON.stringify(body, null, 2) + "\n");
  return { ...body, file };
}

/**
 * The snapshot of the active session straight from the file, for when no recorder (no writer) runs: the prefix up to
 * the last complete line that parses. Unlike a writer's snapshot this reads and hashes the whole prefix: O(size).
 */
export async function snapshotOfFile(logsDir: string): Promise<Snapshot> {
  const file = logsPaths(logsDir).current;
  const sessionId = await readSessionId(file);
  if (!sessionId) throw new Error(`no active session in ${logsDir}`);
  const fh = await openPrivate(file, "r");
  try {
    let end = await lineStartBefore(fh, (await fh.stat()).size);
    let lastSeq = 0;
    while (end > 0) {
      const start = await lineStartBefore(fh, end - 1);
      const line = Buffer.alloc(end - 1 - start);
      await fh.read(line, 0, line.length, start);
      try {
        lastSeq = parseRecordLine(line.toString("utf8")).seq;
        break;
      } catch {
        end = start; // a torn last line is not part of any checkpoint
      }
    }
    const digest = new PrefixDigest();
    await digest.readFrom(fh, end);
    const s = digest.state();
    return { sessionId, bytes: s.bytes, records: s.lines, messages: s.messages, lastSeq, sha256: s.sha256 };
  } finally {
    await fh.close();
  }
}

/** Newest first. */
/** Newest first. A checkpoint file that cannot be read is left out and, when `onUnreadable` is given, reported. */
export async function listCheckpoints(
  logsDir: string,
  onUnreadable?: (file: string, reason: string) => void,
): Promise<CheckpointInfo[]> {
  const dir = logsPaths(logsDir).checkpoints;
  const names = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [] as string[];
    throw err;
  });
  const found = await Promise.all(
    names.filter((n) => n.endsWith(".json")).map((n) => readCheckpointFile(path.join(dir, n), onUnreadable)),
  );
  return found
    .filter((c): c is CheckpointInfo => c !== null)
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
}

export async function readCheckpoint(logsDir: string, id: string): Promise<CheckpointInfo> {
  const file = path.join(logsPaths(logsDir).checkpoints, `${path.basename(id, ".json")}.json`);
  const info = await readCheckpointFile(file);
  if (!info) throw new CheckpointNotFoundError(`no checkpoint "${id}" in ${logsDir}`);
  return info;
}

/** Recomputes the hash of the prefix and checks that the prefix still ends at a line boundary. */
export async function verifyCheckpoint(logsDir: string, id: string): Promise<{ ok: boolean; reason?: string }> {
  let cp: CheckpointInfo;
  let fh: fs.FileHandle;
  try {
    cp = await readCheckpoint(logsDir, id);
    fh = await openPrivate(await sessionFileOf(logsDir, cp.session), "r");
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  try {
    const size = (await fh.stat()).size;
    if (size < cp.bytes) return { ok: false, reason: `session file has ${size} bytes, the checkpoint covers ${cp.bytes}` };
    if (cp.bytes > 0) {
      const last = Buffer.alloc(1);
      await fh.read(last, 0, 1, cp.bytes - 1);
      if (last[0] !== 0x0a) return { ok: false, reason: `byte ${cp.bytes} is not the end of a line` };
    }
    const digest = new PrefixDigest();
    await digest.readFrom(fh, cp.bytes);
    const sha = digest.state().sha256;
    return sha === cp.sha256 ? { ok: true } : { ok: false, reason: `hash mismatch: the session's first ${cp.bytes} bytes changed` };
  } finally {
    await fh.close();
  }
}

/** Every line of the checkpoint's prefix, damaged ones included (marked). */
export async function* checkpointEntries(logsDir: string, id: string): AsyncGenerator<Entry> {
  const cp = await readCheckpoint(logsDir, id);
  yield* streamEntries(await sessionFileOf(logsDir, cp.session), { endOffset: cp.bytes });
}

/** The checkpoint's records in order. A damaged line is an error here, never skipped: see checkpointEntries. */
export async function* checkpointRecords(logsDir: string, id: string): AsyncGenerator<SessionRecord> {
  for await (const e of checkpointEntries(logsDir, id)) {
    if (!e.record) throw new Error(`checkpoint ${id}: line ${e.index + 1} (byte ${e.offset}) is damaged: ${e.damaged}`);
    yield e.record;
  }
}

/** The file holding a session: current_session.jsonl while it is active, sessions/<id>.jsonl once sealed. */
export async function sessionFileOf(logsDir: string, sessionId: string): Promise<string> {
  const current = logsPaths(logsDir).current;
  if ((await readSessionId(current)) === sessionId) return current;
  const sealed = sealedFile(logsDir, sessionId);
  if (await fs.access(sealed).then(() => true, () => false)) return sealed;
  throw new Error(`session ${sessionId} not found in ${logsDir}`);
}

/** Label → file-name part: lower case letters, digits and dashes, at most 40 characters. */
export function slug(label: string): string {
  const s = label
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return s || "checkpoint";
}

async function readCheckpointFile(file: string, onUnreadable?: (file: string, reason: string) => void): Promise<CheckpointInfo | null> {
  let reason: string;
  try {
    const body = JSON.parse(await readPrivateFile(file)) as Omit<CheckpointInfo, "file">;
    if (typeof body.id === "string" && typeof body.bytes === "number" && typeof body.sha256 === "string") return { ...body, file };
    reason = "not a checkpoint (id, bytes or sha256 missing)";
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    reason = (err as Error).message;
  }
  onUnreadable?.(file, reason);
  return null;
}
