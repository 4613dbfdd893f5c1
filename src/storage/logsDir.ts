// The layout of a logs folder (docs/SPEC.md "Files under the logs folder"), created on demand.
import type { Stats } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";

export interface LogsPaths {
  root: string;
  current: string;
  sessions: string;
  checkpoints: string;
  index: string;
  recovery: string;
  recoveryLog: string;
  lock: string;
  status: string;
  control: string;
  /** Output of a recorder started in the background, and a recorder's last words when it crashes. */
  recorderLog: string;
}

export function logsPaths(root: string): LogsPaths {
  const r = path.resolve(root);
  return {
    root: r,
    current: path.join(r, "current_session.jsonl"),
    sessions: path.join(r, "sessions"),
    checkpoints: path.join(r, "checkpoints"),
    index: path.join(r, "metadata_index"),
    recovery: path.join(r, "recovery"),
    recoveryLog: path.join(r, "recovery", "crash_recovery.jsonl"),
    lock: path.join(r, "recorder.lock"),
    status: path.join(r, "recorder.status.json"),
    control: path.join(r, "recorder.control.json"),
    recorderLog: path.join(r, "recorder.log"),
  };
}

/** Conversation files are readable by their owner only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** A logs folder's own folder that is a symbolic link, not a folder, or another user's. */
export class UnsafeFolderError extends Error {}

/**
 * Creates the logs folder and its folders. The logs folder itself may be reached through a symbolic link (the user
 * chose where it lives) but must be this user's; a folder inside it must be a real folder of this user (one linked
 * elsewhere would put the sessions where its owner can delete them), and is made owner-only.
 */
export async function ensureLogsDir(root: string): Promise<LogsPaths> {
  const p = logsPaths(root);
  await fs.mkdir(p.root, { recursive: true, mode: PRIVATE_DIR_MODE });
  checkOwner(p.root, await fs.stat(p.root));
  for (const dir of [p.sessions, p.checkpoints, p.index, p.recovery]) await ensurePrivateDir(dir);
  return p;
}

/** A folder inside a logs folder (which exists), created owner-only; see ensureLogsDir. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { mode: PRIVATE_DIR_MODE }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "EEXIST") throw err;
  });
  const st = await fs.lstat(dir);
  if (st.isSymbolicLink()) throw new UnsafeFolderError(`refusing ${dir}: it is a symbolic link, not a folder of the logs folder`);
  if (!st.isDirectory()) throw new UnsafeFolderError(`refusing ${dir}: it is not a folder`);
  checkOwner(dir, st);
  if ((st.mode & 0o077) !== 0) await fs.chmod(dir, PRIVATE_DIR_MODE);
}

function checkOwner(dir: string, st: Stats): void {
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new UnsafeFolderError(`refusing ${dir}: it belongs to another user (uid ${st.uid}), not to you (uid ${uid})`);
  }
}
