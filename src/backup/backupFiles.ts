// The files of a logs folder a backup keeps: the conversation (active session up to its last complete line, sealed
// sessions, plain or compressed), checkpoints, the recovery log, transcripts handed to agents and the import state.
// Not kept: what is derived or belongs to a running process (the search index, locks, status, the control channel's
// token, recorder.log, agents.json) and the backup's own state.
import fs from "node:fs/promises";
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
  const rels = [...TOP_FILES];
  for (const dir of FOLDERS) {
    const names = await fs.readdir(path.join(root, dir)).catch(() => [] as string[]);
    rels.push(...names.filter((n) => !n.endsWith(".tmp")).sort().map((n) => `${dir}/${n}`));
  }
  const found: LogsFile[] = [];
  for (const rel of rels) {
    const file = await describe(root, rel);
    if (file) found.push(file);
  }
  return found;
}

async function describe(root: string, rel: string): Promise<LogsFile | null> {
  const abs = path.join(root, rel);
  const st = await fs.lstat(abs).catch(() => null);
  if (!st?.isFile()) return null; // gone meanwhile, or not a file of ours to keep (a link is never followed)
  let size = st.size;
  if (rel === TOP_FILES[0]) {
    const fh = await openPrivate(abs, "r");
    try {
      size = await completeEnd(fh, st.size); // the recorder may be writing its last line
    } finally {
      await fh.close();
    }
  }
  return { rel, abs, size, ino: st.ino, mtimeMs: st.mtimeMs };
}
