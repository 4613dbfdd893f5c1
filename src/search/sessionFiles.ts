// The session files search covers and the session id each one holds (its first record, `session_started`).
import fs from "node:fs/promises";
import path from "node:path";
import { logsPaths } from "../storage/logsDir.ts";
import { readSessionId } from "../storage/sessionFile.ts";
import { describeSealedFile, plainName, sealedSessionFiles } from "../storage/sessionSource.ts";

export interface SessionFile {
  path: string;
  session: string;
  ino: number;
  size: number;
}

/** The active session first, then sealed ones; files that vanish while listing are left out. */
export async function listSessionFiles(logsDir: string): Promise<SessionFile[]> {
  const p = logsPaths(logsDir);
  const sealed = await fs.readdir(p.sessions).catch(() => [] as string[]);
  const paths = [p.current, ...sealedSessionFiles(sealed).map((f) => path.join(p.sessions, f))];
  const found = await Promise.all(paths.map((f) => describeSessionFile(f)));
  return found.filter((f): f is SessionFile => f !== null);
}

export async function describeSessionFile(file: string): Promise<SessionFile | null> {
  try {
    // A compressed session is known by the inode of the plain file it was made from, so it is not indexed again.
    const { ino, size } = await describeSealedFile(file);
    // A file without a session_started record is known by its name.
    const session = (await readSessionId(file)) ?? path.basename(plainName(file), ".jsonl");
    return { path: file, session, ino, size };
  } catch {
    return null;
  }
}
