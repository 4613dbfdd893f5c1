// `shearwater compact`: every sealed session compressed (blockWriter.ts) and, when asked, encrypted with age
// (src/crypto/encryptFile.ts), one compaction per logs folder at a time. Crash-safe by order: the new form is written
// beside the old one under a temporary name, synced and read back, renamed into place, and only then is the old
// one removed. A run after a crash finishes what it finds: a temporary file is removed and written again, a new form
// whose old one is still there is checked against it (an encrypted one when a reading key is set: it was named only
// once read back) before the old one goes. The active session is never touched. An imported session is stored under
// the imports' lock, as an import may be adding to it; once stored, what its transcript gains goes into a session
// that continues it (src/transcripts/importer.ts).
import fs from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import { WrongKeyError, type Encryption } from "../crypto/ageCrypto.ts";
import { writeEncrypted } from "../crypto/encryptFile.ts";
import { KeyNeededError } from "../crypto/openEncrypted.ts";
import { deleteIndex } from "../search/indexStore.ts";
import { fsyncDir } from "../storage/atomicFile.ts";
import { lockImports } from "../transcripts/importState.ts";
import { ensureLogsDir, logsPaths } from "../storage/logsDir.ts";
import { readFirstRecord } from "../storage/sessionFile.ts";
import { isCompressedSessionFile, isEncryptedSessionFile, openCompressedSession, openSessionSource, plainName, storedFormsOf } from "../storage/sessionSource.ts";
import { sha256Of } from "../storage/sourceHash.ts";
import { writeCompressed } from "./blockWriter.ts";

/** The lock is `compact.lock` (proper-lockfile adds `.lock`). */
const LOCK_NAME = "compact";
/** A compaction killed with -9 leaves its lock: taken over once not refreshed for this long (a live holder refreshes
 * it every half of it), and a run waits a little longer than that before it says another one is running. */
const LOCK_STALE_MS = 5_000;
const LOCK_RETRIES = { retries: 12, minTimeout: 250, maxTimeout: 1_000 };
const TEMP_SUFFIX = ".tmp";
/** About 5 s for an import to end before an imported session is left for the next run. */
const IMPORT_LOCK_RETRIES = 10;

export interface CompactedSession {
  file: string;
  /** Bytes of the session, and of the file it is stored as now. */
  size: number;
  stored: number;
  compressed: boolean;
  encrypted: boolean;
  ms: number;
}

export interface CompactOptions {
  onSession?: (s: CompactedSession) => void;
  /** Encrypt the sealed sessions with age (plain and compressed ones alike); null or absent: leave them plaintext. */
  encryption?: Encryption | null;
  /** false: plain sealed sessions are not compressed (only encrypted, as `.jsonl.age`, when encryption is asked). */
  compress?: boolean;
  /**
   * Once a session is encrypted, delete the search index, which holds its words and fields in plaintext; it is built
   * again from what its indexer can read (encrypted sessions only where a reading key is set).
   */
  dropIndex?: boolean;
}

export interface CompactResult {
  compacted: CompactedSession[];
  skipped: Array<{ file: string; reason: string }>;
  failed: Array<{ file: string; error: string }>;
}

export class CompactionRunningError extends Error {}

export async function compactLogs(logsDir: string, opts: CompactOptions = {}): Promise<CompactResult> {
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
    const present = new Set(names);
    const sessions = [...new Set(names.map(plainName).filter((n) => n.endsWith(".jsonl")))].sort();
    for (const name of sessions) {
      const plain = path.join(paths.sessions, name);
      try {
        const has = (f: string) => present.has(path.basename(f));
        const store = () => storeOne(storedFormsOf(plain), has, opts);
        const done = has(plain) && (await isImported(plain)) ? await whileNoImport(paths.root, store) : await store();
        if (done === null) continue;
        if ("reason" in done) result.skipped.push({ file: plain, reason: done.reason });
        else {
          result.compacted.push(done);
          opts.onSession?.(done);
        }
      } catch (err) {
        result.failed.push({ file: plain, error: (err as Error).message });
      }
    }
    if (opts.dropIndex && result.compacted.some((s) => s.encrypted)) deleteIndex(logsDir);
    return result;
  } finally {
    await release();
  }
}

/**
 * Brings one session to the form asked for: plain → compressed (→ encrypted), plain → encrypted, compressed →
 * encrypted. Null when it is stored so already (an encrypted session is never decrypted here).
 */
async function storeOne(
  [plain, compressed, compressedEncrypted, encrypted]: string[],
  has: (file: string) => boolean,
  opts: CompactOptions,
): Promise<CompactedSession | { reason: string } | null> {
  const source = [plain, compressed].find(has);
  if (!source) return null;
  const compress = opts.compress !== false;
  const target = opts.encryption
    ? source === compressed || compress ? compressedEncrypted : encrypted
    : source === plain && compress ? compressed : null;
  if (!target) return null;
  const started = performance.now();
  const old = [plain, compressed].filter((f) => f !== target && has(f));
  if (has(target)) {
    if (await sameSession(source, target)) return removeOld(old, target, started);
    await fs.rm(target); // not what the session holds: made again from it
  }
  if (source === compressed) await checkCompressed(compressed);
  const temps: string[] = [];
  const temp = (file: string) => {
    temps.push(file + TEMP_SUFFIX);
    return file + TEMP_SUFFIX;
  };
  try {
    let from = source;
    if (target !== encrypted && source === plain) await writeCompressed(plain, (from = temp(compressed)));
    if (target !== compressed) await writeEncrypted(from, (from = temp(target)), opts.encryption!);
    await fs.rename(from, target);
  } finally {
    for (const t of temps) await fs.rm(t, { force: true });
  }
  await fsyncDir(path.dirname(target));
  return removeOld(old, target, started);
}

async function isImported(plain: string): Promise<boolean> {
  const first = await readFirstRecord(plain);
  return first !== null && "imported_from" in first;
}

/** `job` with the imports' lock held (waiting a little for an import to finish); skipped when one is still running. */
async function whileNoImport<T>(root: string, job: () => Promise<T>): Promise<T | { reason: string }> {
  const release = await lockImports(root, IMPORT_LOCK_RETRIES).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ELOCKED") return null;
    throw err;
  });
  if (!release) return { reason: "an import is adding to it: the next run stores it" };
  try {
    return await job();
  } finally {
    await release();
  }
}

/** Throws, naming the damage, unless the compressed file reads back as the session it was made from: a damaged one is
 * left as it is (and said so), never encrypted and removed. */
async function checkCompressed(file: string): Promise<void> {
  const source = await openCompressedSession(file);
  try {
    if ((await sha256Of(source, source.index.size)) !== source.index.sha256) throw new Error(`${file} does not read back as the session it holds`);
  } finally {
    await source.close();
  }
}

/**
 * Whether `stored` reads back as exactly the session `source` holds. An encrypted file that no key set here opens
 * is taken as it is: it was given its name only after it was read back.
 */
async function sameSession(source: string, stored: string): Promise<boolean> {
  const a = await openSessionSource(source);
  const b = await openSessionSource(stored).catch((err: Error) => err);
  try {
    if (b instanceof KeyNeededError || b instanceof WrongKeyError) return true;
    if (b instanceof Error) return false;
    const [{ size }, { size: storedSize }] = await Promise.all([a.stat(), b.stat()]);
    if (size !== storedSize) return false;
    return (await sha256Of(a, size)) === (await sha256Of(b, size).catch(() => null));
  } finally {
    await Promise.all([a.close(), b instanceof Error ? null : b.close()]);
  }
}

async function removeOld(old: string[], target: string, started: number): Promise<CompactedSession> {
  const source = await openSessionSource(old[0]);
  const { size } = await source.stat().finally(() => source.close());
  const { size: stored } = await fs.stat(target);
  for (const file of old) await fs.rm(file);
  await fsyncDir(path.dirname(target));
  return {
    file: target,
    size,
    stored,
    compressed: isCompressedSessionFile(target),
    encrypted: isEncryptedSessionFile(target),
    ms: performance.now() - started,
  };
}
