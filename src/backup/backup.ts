// `shearwater backup DEST`: an incremental, verified copy of a logs folder's conversation (backupFiles.ts) to a
// folder or an rclone remote. Only what is new since the last backup to DEST is read and stored: a file already
// backed up whole (same inode, size and time) is referred to again, and a file that grew (the active session, a
// session sealed since: same inode) adds only its new bytes, once the end of what was kept of it is checked to be
// unchanged. The manifest is written last: a backup killed before it does not exist, and the next run stores again
// what it had not finished.
import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import lockfile from "proper-lockfile";
import path from "node:path";
import { timestamp } from "../record.ts";
import { ensureLogsDir } from "../storage/logsDir.ts";
import { readExactly } from "../storage/positionedRead.ts";
import { compactUtc } from "../storage/sessionFile.ts";
import { encrypt, type Encryption } from "../crypto/ageCrypto.ts";
import { logsFiles, openIfThere, type LogsFile } from "./backupFiles.ts";
import { readBackupState, writeBackupState, type BackupResult } from "./backupState.ts";
import { backupsIn, BACKUPS_DIR, manifestName, objectListName, type BackedUpFile, type Manifest, type Segment } from "./manifest.ts";
import { PackWriter } from "./pack.ts";
import { applyRetention } from "./retention.ts";
import { openStore } from "./store.ts";

const READ_BYTES = 4 << 20;
const MAX_PASSES = 5;

export interface BackupOptions {
  encryption?: Encryption | null;
  /** Keep the last N backups at DEST (older ones and the objects only they use are removed). */
  keep?: number;
}

export interface BackupReport extends BackupResult {
  ok: true;
  id: string;
  files: number;
  new_bytes: number;
  ms: number;
  removed: string[];
}

export async function backupLogs(logsDir: string, dest: string, opts: BackupOptions = {}): Promise<BackupReport> {
  const paths = await ensureLogsDir(logsDir);
  // `backup.lock`: proper-lockfile keeps one lock per path in a process, so it is named for this job, not the folder.
  const release = await lockfile.lock(path.join(paths.root, "backup"), {
    realpath: false,
    stale: 10_000,
    retries: { retries: 30, minTimeout: 250, maxTimeout: 1_000 },
  });
  const state = await readBackupState(logsDir);
  const started = performance.now();
  try {
    const report = await backUp(logsDir, dest, state.bases[dest] ?? null, opts, started);
    state.bases[dest] = report.manifest;
    state.last = state.last_ok = report.result;
    await writeBackupState(logsDir, state);
    return report.result;
  } catch (err) {
    state.last = { dest, at: timestamp(), ok: false, error: (err as Error).message, ms: Math.round(performance.now() - started) };
    await writeBackupState(logsDir, state).catch(() => {});
    throw err;
  } finally {
    await release();
  }
}

async function backUp(logsDir: string, dest: string, base: Manifest | null, opts: BackupOptions, started: number) {
  const store = openStore(dest);
  const encryption = opts.encryption ?? null;
  const existing = backupsIn(await store.list(BACKUPS_DIR));
  // The base counts only while its backup is still there (retention, or a hand, may have removed it).
  const known = base && existing.some((b) => b.id === base.id) ? new Map(base.files.map((f) => [f.ino, f])) : new Map<number, BackedUpFile>();
  const pack = new PackWriter(store, encryption);
  let files: BackedUpFile[] = [];
  let newBytes = 0;
  // A file may go while it is listed and read: the active session sealed, a plain session replaced by its compressed
  // file. Then the folder is listed again, and what this pass stored is the base of the next (nothing is read twice).
  for (let pass = 1; ; pass++) {
    files = [];
    let vanished = false;
    for (const file of await logsFiles(logsDir)) {
      const done = await backUpFile(file, known.get(file.ino), pack);
      if (!done) {
        vanished = true;
        continue;
      }
      files.push(done.entry);
      newBytes += done.added;
    }
    await pack.flush();
    if (!vanished) break;
    if (pass === MAX_PASSES) throw new Error(`files of ${logsDir} kept changing while they were read (${MAX_PASSES} passes): try again`);
    for (const f of files) known.set(f.ino, f);
  }
  const id = freeId(compactUtc(new Date(), true), existing.map((b) => b.id));
  const manifest: Manifest = { v: 1, id, created_at: timestamp(), encrypted: encryption !== null, files };
  const objects = [...new Set(files.flatMap((f) => f.segments.map((s) => s.object)))];
  await store.put(objectListName(id), Buffer.from(JSON.stringify({ v: 1, id, objects })));
  const text = Buffer.from(JSON.stringify(manifest));
  await store.put(manifestName(id, manifest.encrypted), encryption ? await encrypt(text, encryption) : text); // last
  const removed = opts.keep ? await applyRetention(store, opts.keep) : [];
  const result: BackupReport = { dest, at: manifest.created_at, ok: true, id, files: files.length, new_bytes: newBytes, ms: Math.round(performance.now() - started), removed };
  return { manifest, result };
}

/** The file's entry (null when it is gone): the segments kept before (when its start is unchanged) and segments of its new bytes. */
async function backUpFile(file: LogsFile, before: BackedUpFile | undefined, pack: PackWriter): Promise<{ entry: BackedUpFile; added: number } | null> {
  const fh = await openIfThere(file.abs);
  if (!fh) return null; // gone since it was listed
  try {
    if ((await fh.stat()).ino !== file.ino) return null; // another file under its name now (a session sealed meanwhile)
    const unchanged = before && before.path === file.rel && before.size === file.size && before.mtime_ms === file.mtimeMs;
    let segments: Segment[] = [];
    let from = 0;
    if (before && (unchanged || (before.size <= file.size && (await endStillThere(fh, before))))) {
      segments = [...before.segments];
      from = before.size;
    }
    const buf = Buffer.allocUnsafe(READ_BYTES);
    for (let at = from; at < file.size; ) {
      const n = Math.min(buf.length, file.size - at);
      await readExactly(fh, buf, 0, n, at);
      segments.push(...(await pack.add(buf.subarray(0, n))));
      at += n;
    }
    return { entry: { path: file.rel, size: file.size, ino: file.ino, mtime_ms: file.mtimeMs, segments }, added: file.size - from };
  } finally {
    await fh.close();
  }
}

/** Whether the file still holds, where it was, the last segment backed up of it (its start is then taken as kept). */
async function endStillThere(fh: FileHandle, before: BackedUpFile): Promise<boolean> {
  const last = before.segments.at(-1);
  if (!last) return true;
  const bytes = Buffer.allocUnsafe(last.length);
  const { bytesRead } = await fh.read(bytes, 0, last.length, before.size - last.length);
  return bytesRead === last.length && createHash("sha256").update(bytes).digest("hex") === last.sha256;
}

function freeId(id: string, taken: string[]): string {
  let free = id;
  for (let n = 2; taken.includes(free); n++) free = `${id}-${n}`;
  return free;
}
