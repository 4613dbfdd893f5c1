// The layout of a logs folder (SPEC.md "Files under the logs folder"), created on demand.
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
  };
}

/** Conversation files are readable by their owner only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

export async function ensureLogsDir(root: string): Promise<LogsPaths> {
  const p = logsPaths(root);
  await fs.mkdir(p.root, { recursive: true, mode: PRIVATE_DIR_MODE });
  for (const dir of [p.sessions, p.checkpoints, p.index, p.recovery]) {
    await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  }
  return p;
}
