// `shearwater compact`: every sealed session compressed (blockWriter.ts), one compaction per logs folder at a time.
// Crash-safe by order: the compressed file is written beside the plain one under a temporary name, synced and read
// back, renamed into place, and only then is the plain file removed. A run after a crash finishes what it finds: a
// temporary file is removed and written again, a compressed file whose plain one is still there is checked against
// it before the plain one goes. The active session is never touched, nor an imported one (it grows with its transcript).
import fs from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import { fsyncDir } from "../storage/atomicFile.ts";
import { ensureLogsDir, logsPaths } from "../storage/logsDir.ts";
import { openPrivate } from "../storage/privateFile.ts";
import { readFirstRecord } from "../storage/sessionFile.ts";
import { compressedFileOf, openCompressedSession } from "../storage/sessionSource.ts";
import { sha256Of, writeCompressed } from "./blockWriter.ts";

/** The lock is `compact.lock` (proper-lockfile adds `.lock`). */
const LOCK_NAME = "compact";
/** A compaction killed with -9 leaves its lock: taken over once not refreshed for this long (a live holder refreshes
 * it every half of it), and a run waits a little longer than that before it says another one is running. */
const LOCK_STALE_MS = 5_000;
const LOCK_RETRIES = { retries: 12, minTimeout: 250, maxTimeout: 1_000 };
const TEMP_SUFFIX = ".tmp";

export interface CompactedSession {
  file: string;
  /** Bytes of the session, and of its compressed file. */
  size: number;
  stored: number;
  ms: number;
}

export interface CompactResult {
  compacted: CompactedSession[];
  skipped: Array<{ file: string; reason: string }>;
  failed: Array<{ file: string; error: string }>;
}

export class CompactionRunningError extends Error {}

export async function compactLogs(logsDir: string, opts: { onSession?: (s: CompactedSession) => void } = {}): Promise<CompactResult> {
  const result: CompactResult = { compacted: [], skipped: [], failed: [] };
  // A logs folder that is gone (removed after a seal started this run) is not made again.
  if (!(await fs.stat(logsPaths(logsDir).sessions).then((s) => s.isDirectory(), () => false))) return result;
  const paths = await ensureLogsDir(logsDir);
  const release = await lockfile
    // proper-lockfile keeps one lock per path in a process: named for this job, not the folder (import locks that)
    .lock(path.join(paths.root, LOCK_NAME), { realpath: false, stale: LOCK_STALE_MS, retries: LOCK_RETRIES })
    .catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ELOCKED") throw new CompactionRunningError(`a compaction of ${paths.root} is already running`);
      throw err;
    });
  try {
    const names = await fs.readdir(paths.sessions).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith(TEMP_SUFFIX))) await fs.rm(path.join(paths.sessions, name), { force: true });
    for (const name of names.filter((n) => n.endsWith(".jsonl")).sort()) {
      const plain = path.join(paths.sessions, name);
      try {
        const done = await compactOne(plain, names.includes(path.basename(compressedFileOf(plain))));
        if ("reason" in done) result.skipped.push({ file: plain, reason: done.reason });
        else {
          result.compacted.push(done);
          opts.onSession?.(done);
        }
      } catch (err) {
        result.failed.push({ file: plain, error: (err as Error).message });
      }
    }
    return result;
  } finally {
    await release();
  }
}

async function compactOne(plain: string, compressedExists: boolean): Promise<CompactedSession | { reason: string }> {
  const target = compressedFileOf(plain);
  const dir = path.dirname(plain);
  const started = performance.now();
  if (compressedExists) {
    if (await sameSession(plain, target)) return removePlain(plain, target, started);
    await fs.rm(target); // not what the plain file holds: made again from it
  }
  const first = await readFirstRecord(plain);
  if (first && "imported_from" in first) return { reason: "imported: it grows when its transcript does" };
  const temp = target + TEMP_SUFFIX;
  try {
    await writeCompressed(plain, temp);
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
  return removePlain(plain, target, started);
}

/** Whether the compressed file reads back as exactly the plain file's bytes. */
async function sameSession(plain: string, compressed: string): Promise<boolean> {
  const source = await openCompressedSession(compressed).catch(() => null);
  if (!source) return false;
  try {
    const { size } = await fs.stat(plain);
    if (size !== source.index.size) return false;
    const plainFile = await openPrivate(plain, "r");
    try {
      return (await sha256Of(plainFile, size)) === source.index.sha256 && (await sha256Of(source, size)) === source.index.sha256;
    } finally {
      await plainFile.close();
    }
  } finally {
    await source.close();
  }
}

async function removePlain(plain: string, target: string, started: number): Promise<CompactedSession> {
  const [{ size }, { size: stored }] = await Promise.all([fs.stat(plain), fs.stat(target)]);
  await fs.rm(plain);
  await fsyncDir(path.dirname(plain));
  return { file: target, size, stored, ms: performance.now() - started };
}
