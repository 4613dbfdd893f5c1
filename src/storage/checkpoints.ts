// Checkpoints: a named, hashed prefix of a session file. Nothing is copied: the file records the prefix length and
// the SHA-256 the writer keeps running, so creating one costs the same on a 10 MB and a 1 GB session. With no writer
// (no recorder running), a checkpoint extends the newest earlier one of its session instead: it hashes only the bytes
// since (a chain link), so its cost too does not grow with the session.
import fs from "node:fs/promises";
import path from "node:path";
import { parseRecordLine, timestamp, type SessionRecord } from "../record.ts";
import { writeFileAtomic } from "./atomicFile.ts";
import { ensurePrivateDir, logsPaths } from "./logsDir.ts";
import { PrefixDigest } from "./prefixDigest.ts";
import type { ByteSource } from "./byteSource.ts";
import { openPrivate, readPrivateFile } from "./privateFile.ts";
import { lineStartBefore } from "./recovery.ts";
import { compactUtc, readSessionId, sealedFile } from "./sessionFile.ts";
import { streamEntries, type Entry } from "./sessionReader.ts";
import { openSessionSource, storedFormsOf } from "./sessionSource.ts";

/** A session's durable prefix as a checkpoint records it (the session writer's, or one read from the file). */
export interface Snapshot {
  sessionId: string;
  bytes: number;
  records: number;
  messages: number;
  lastSeq: number;
  sha256: string;
}

export const CHECKPOINT_VERSION = 1;
/** A checkpoint whose prefix is an earlier checkpoint's plus a hashed segment (`chain`) instead of one `sha256`. */
export const CHAINED_CHECKPOINT_VERSION = 2;

/** The prefix is the checkpoint `after` (which ends at byte `bytes`) and the segment of the bytes since. */
export interface CheckpointChain {
  after: string;
  bytes: number;
  sha256_segment: string;
}

/** A prefix's size and counts and what vouches for its bytes: the SHA-256 of all of them, or a chain link. */
export type PrefixHash = { bytes: number; records: number; messages: number } & (
  | { sha256: string; chain?: undefined }
  | { sha256?: undefined; chain: CheckpointChain }
);

/** What a checkpoint says of its prefix (a writer's snapshot, or one read from the file). */
export type CheckpointPrefix = Pick<Snapshot, "sessionId" | "lastSeq"> & PrefixHash;

export interface CheckpointInfo {
  id: string;
  label: string;
  created_at: string;
  session: string;
  messages: number;
  records: number;
  bytes: number;
  last_seq: number;
  /** Exactly one of these two: the hash of the whole prefix, or the link to the checkpoint it extends. */
  sha256?: string;
  chain?: CheckpointChain;
  /** Path of the checkpoint file (not stored in it). */
  file: string;
}

export class CheckpointNotFoundError extends Error {}

export async function createCheckpoint(logsDir: string, snap: CheckpointPrefix, label = ""): Promise<CheckpointInfo> {
  const dir = logsPaths(logsDir).checkpoints;
  await ensurePrivateDir(dir);
  const now = new Date();
  const base = `${compactUtc(now, true)}_${slug(label)}`;
  let id = base;
  for (let n = 2; await fs.access(path.join(dir, `${id}.json`)).then(() => true, () => false); n++) id = `${base}-${n}`;
  const body = {
    v: snap.chain ? CHAINED_CHECKPOINT_VERSION : CHECKPOINT_VERSION,
    id,
    label,
    created_at: timestamp(now),
    session: snap.sessionId,
    messages: snap.messages,
    records: snap.records,
    bytes: snap.bytes,
    last_seq: snap.lastSeq,
    ...(snap.chain ? { chain: snap.chain } : { sha256: snap.sha256 }),
  };
  const file = path.join(dir, `${id}.json`);
  await writeFileAtomic(file, JSON.stringify(body, null, 2) + "\n");
  return { ...body, file };
}

/**
 * The snapshot of the active session straight from the file, for when no recorder (no writer) runs: the prefix up to
 * the last complete line that parses. It extends the newest earlier checkpoint of the session that this prefix still
 * contains, reading and hashing only the bytes since; with none, it hashes the prefix from the start.
 */
export async function snapshotOfFile(logsDir: string): Promise<CheckpointPrefix> {
  const file = logsPaths(logsDir).current;
  const sessionId = await readSessionId(file);
  if (!sessionId) throw new Error(`no active session in ${logsDir}`);
  const fh = await openPrivate(file, "r");
  try {
    const { end, lastSeq } = await lastRecordEnd(fh);
    const base = await chainBase(logsDir, sessionId, fh, end);
    const digest = digestAfter(base);
    await digest.readFrom(fh, end);
    return { sessionId, lastSeq, ...prefixOf(digest, base) };
  } finally {
    await fh.close();
  }
}

/** The end of the last complete line that parses as a record (a torn last line is not part of any checkpoint). */
async function lastRecordEnd(fh: fs.FileHandle): Promise<{ end: number; lastSeq: number }> {
  let end = await lineStartBefore(fh, (await fh.stat()).size);
  while (end > 0) {
    const start = await lineStartBefore(fh, end - 1);
    const line = Buffer.alloc(end - 1 - start);
    await fh.read(line, 0, line.length, start);
    try {
      return { end, lastSeq: parseRecordLine(line.toString("utf8")).seq };
    } catch {
      end = start;
    }
  }
  return { end: 0, lastSeq: 0 };
}

/**
 * The checkpoint of the session covering the most of its file's first `end` bytes and ending a line there: what a
 * snapshot with no running hash of the whole prefix extends (the writer's of a session it opened, or one read from
 * the file). Its bytes are not read again: verifying the new checkpoint checks them.
 */
export async function chainBase(logsDir: string, sessionId: string, fh: ByteSource, end: number): Promise<CheckpointInfo | undefined> {
  const candidates = (await listCheckpoints(logsDir))
    .filter((c) => c.session === sessionId && c.bytes > 0 && c.bytes <= end)
    .sort((a, b) => b.bytes - a.bytes);
  for (const c of candidates) if (await endsLine(fh, c.bytes)) return c;
  return undefined;
}

/** A digest going on from the end of `base` (its counts included), or from the start of the session. */
export function digestAfter(base: CheckpointInfo | undefined): PrefixDigest {
  return base ? PrefixDigest.after({ bytes: base.bytes, lines: base.records, messages: base.messages }) : new PrefixDigest();
}

/** What a checkpoint records of the prefix `digest` (from digestAfter(base)) has taken in. */
export function prefixOf(digest: PrefixDigest, base: { id: string; bytes: number } | undefined): PrefixHash {
  const s = digest.state();
  const counts = { bytes: s.bytes, records: s.lines, messages: s.messages };
  return base ? { ...counts, chain: { after: base.id, bytes: base.bytes, sha256_segment: s.sha256 } } : { ...counts, sha256: s.sha256 };
}

async function endsLine(fh: ByteSource, bytes: number): Promise<boolean> {
  if (bytes === 0) return true;
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, bytes - 1);
  return last[0] === 0x0a;
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

/**
 * Recomputes the hash of the prefix and checks that the prefix still ends at a line boundary. A chained checkpoint
 * is verified link by link: its segment, then the checkpoint it extends, down to one hashed from the start.
 */
export async function verifyCheckpoint(logsDir: string, id: string): Promise<{ ok: boolean; reason?: string }> {
  let cp: CheckpointInfo;
  let fh: ByteSource;
  try {
    cp = await readCheckpoint(logsDir, id);
    fh = await openSessionSource(await sessionFileOf(logsDir, cp.session));
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  try {
    const size = (await fh.stat()).size;
    if (size < cp.bytes) return { ok: false, reason: `session file has ${size} bytes, the checkpoint covers ${cp.bytes}` };
    const seen = new Set<string>();
    for (let link = cp; ; ) {
      if (!(await endsLine(fh, link.bytes))) return { ok: false, reason: `byte ${link.bytes} is not the end of a line` };
      if (!link.chain) {
        const digest = new PrefixDigest();
        await digest.readFrom(fh, link.bytes);
        if (digest.state().sha256 === link.sha256) return { ok: true };
        return { ok: false, reason: `hash mismatch: the session's first ${link.bytes} bytes changed` };
      }
      seen.add(link.id);
      const base = await readCheckpoint(logsDir, link.chain.after).catch(() => null);
      const broken = chainBreak(link, link.chain, base, seen);
      if (broken) return { ok: false, reason: broken };
      const digest = PrefixDigest.after({ bytes: link.chain.bytes, lines: 0, messages: 0 });
      await digest.readFrom(fh, link.bytes);
      if (digest.state().sha256 !== link.chain.sha256_segment) {
        return { ok: false, reason: `hash mismatch: bytes ${link.chain.bytes} to ${link.bytes} of the session changed` };
      }
      link = base!;
    }
  } catch (err) {
    return { ok: false, reason: (err as Error).message }; // bytes that cannot be read (a damaged compressed block)
  } finally {
    await fh.close();
  }
}

/** Why `link` does not extend `base` as its chain says (a checkpoint file is not trusted), or null. */
function chainBreak(link: CheckpointInfo, chain: CheckpointChain, base: CheckpointInfo | null, seen: Set<string>): string | null {
  const after = chain.after;
  if (!base) return `checkpoint ${link.id} extends ${after}, which is missing`;
  if (seen.has(base.id)) return `checkpoint ${link.id}: its chain of earlier checkpoints loops at ${base.id}`;
  if (base.session !== link.session || base.bytes !== chain.bytes || base.bytes > link.bytes) {
    return `checkpoint ${link.id} does not extend ${after} (another session, or other bytes)`;
  }
  return null;
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

/** The file holding a session: current_session.jsonl while it is active, sessions/<id>.jsonl once sealed, then the
 * compressed or encrypted form compaction stores it as (storedFormsOf: the first while two exist, the same bytes). */
export async function sessionFileOf(logsDir: string, sessionId: string): Promise<string> {
  const current = logsPaths(logsDir).current;
  if ((await readSessionId(current)) === sessionId) return current;
  const sealed = sealedFile(logsDir, sessionId);
  for (const file of storedFormsOf(sealed)) if (await fs.access(file).then(() => true, () => false)) return file;
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
    if (typeof body.id === "string" && typeof body.bytes === "number" && (typeof body.sha256 === "string" || isChain(body.chain))) {
      return { ...body, file };
    }
    reason = "not a checkpoint (id, bytes, or sha256 or chain missing)";
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    reason = (err as Error).message;
  }
  onUnreadable?.(file, reason);
  return null;
}

function isChain(c: unknown): c is CheckpointChain {
  const chain = c as Partial<CheckpointChain> | null;
  return typeof chain?.after === "string" && typeof chain.bytes === "number" && typeof chain.sha256_segment === "string";
}
