// The files of a logs folder a backup keeps: the conversation (active session up to its last complete line, sealed
// sessions, plain or compressed), checkpoints, the recovery log, transcripts handed to agents and the import state.
// Not kept: what is derived or belongs to a running process (the search index, locks, status, the control channel's
// token, recorder.log, agents.json) and the backup's own state.
import fs, { type FileHandle } from "node:fs/promises";
import path from "node:path";
import { completeEnd } from "../storage/backwardScanner.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { openPrivate } from "../storage/privateFile.ts";

export interface LogsFile {
  /** Relative to the logs folder, forward slashes. */
  rel: string;
  abs: string;
  /** Bytes to keep: the file's size, or the end of its last complete line for the active session. */
  size: number;
  ino: number;
  mtimeMs: number;
}

const FOLDERS = ["sessions", "checkpoints", "recovery", "transcripts"];
const TOP_FILES = ["current_session.jsonl", "imports.json"];

export async function logsFiles(logsDir: string): Promise<LogsFile[]> {
  const root = logsPaths(logsDir).root;
  // The top files are described before the folders are listed: a session sealed in between is then found in
  // sessions/ (under the inode it had as the active session, which backup.ts sees and lists again), never in neither.
  const found: LogsFile[] = [];
  const add = async (rel: string) => {
    const file = await describe(root, rel);
    if (file) found.push(file);
  };
  for (const rel of TOP_FILES) await add(rel);
  for (const dir of FOLDERS) {
    const names = await fs.readdir(path.join(root, dir)).catch(() => [] as string[]);
    for (const name of names.filter((n) => !n.endsWith(".tmp")).sort()) await add(`${dir}/${name}`);
  }
  return found;
}

async function describe(root: string, rel: string): Promise<LogsFile | null> {
  const abs = path.join(root, rel);
  const st = await fs.lstat(abs).catch(() => null);
  if (!st?.isFile()) return null; // gone meanwhile, or not a file of ours to keep (a link is never followed)
  const file: LogsFile = { rel, abs, size: st.size, ino: st.ino, mtimeMs: st.mtimeMs };
  if (rel === TOP_FILES[0]) {
    const fh = await openIfThere(abs);
    // Sealed between the lstat and the open: listed all the same, so that reading it finds it gone and the backup
    // lists the folder again (it then holds the new active session too).
    if (!fh) return file;
    try {
      file.size = await completeEnd(fh, st.size); // the recorder may be writing its last line
    } finally {
      await fh.close();
    }
  }
  return file;
}

/** The file opened to read (owner-only, no link followed), or null when it is gone: sealed or replaced meanwhile. */
export async function openIfThere(abs: string): Promise<FileHandle | null> {
  return openPrivate(abs, "r").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
}
