// The session files search covers and the session id each one holds (its first record, `session_started`), and the
// encrypted ones no key set here opens, which readers leave out and say so.
import fs from "node:fs/promises";
import path from "node:path";
import { logsPaths } from "../storage/logsDir.ts";
import { readSessionId } from "../storage/sessionFile.ts";
import { describeSealedFile, isEncryptedSessionFile, plainName, sealedSessionFiles } from "../storage/sessionSource.ts";

export interface SessionFile {
  path: string;
  session: string;
  ino: number;
  size: number;
}

/** An encrypted session file left out, and why (no key set, or one that does not open it). */
export interface LockedSession {
  path: string;
  error: string;
}

export interface SessionFiles {
  files: SessionFile[];
  locked: LockedSession[];
}

/** The active session first, then sealed ones; files that vanish while listing are left out. */
export async function listSessionFiles(logsDir: string): Promise<SessionFile[]> {
  return (await sessionFilesOf(logsDir)).files;
}

/** listSessionFiles, and the encrypted sessions it left out because no key set here opens them. */
export async function sessionFilesOf(logsDir: string): Promise<SessionFiles> {
  // The active session is described before sessions/ is listed: one sealed in between is then found there, under the
  // same inode, and counted once as sealed, never missed.
  const active = await describedOrWhy(logsPaths(logsDir).current);
  const sealed = await Promise.all((await sealedPaths(logsDir)).map((f) => describedOrWhy(f)));
  const sealedInodes = new Set(sealed.flatMap((f) => (f && "ino" in f ? [f.ino] : [])));
  const sealedMeanwhile = active !== null && "ino" in active && sealedInodes.has(active.ino);
  const found = sealedMeanwhile ? sealed : [active, ...sealed];
  return {
    files: found.filter((f): f is SessionFile => f !== null && "session" in f),
    locked: found.filter((f): f is LockedSession => f !== null && "error" in f),
  };
}

/** Only the encrypted sessions no key set here opens: what a reader that listed the files its own way left out. */
export async function lockedSessions(logsDir: string): Promise<LockedSession[]> {
  const encrypted = (await sealedPaths(logsDir)).filter(isEncryptedSessionFile);
  const found = await Promise.all(encrypted.map((f) => describedOrWhy(f)));
  return found.filter((f): f is LockedSession => f !== null && "error" in f);
}

/** The sealed sessions' files (each in the first form it is stored in). */
async function sealedPaths(logsDir: string): Promise<string[]> {
  const dir = logsPaths(logsDir).sessions;
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return sealedSessionFiles(names).map((f) => path.join(dir, f));
}

export async function describeSessionFile(file: string): Promise<SessionFile | null> {
  const found = await describedOrWhy(file);
  return found && "session" in found ? found : null;
}

/** The file described; why an encrypted one cannot be; null for a file gone meanwhile (or not a session). */
async function describedOrWhy(file: string): Promise<SessionFile | LockedSession | null> {
  try {
    // A compressed session is known by the inode of the plain file it was made from, so it is not indexed again.
    const { ino, size } = await describeSealedFile(file);
    // A file without a session_started record is known by its name.
    const session = (await readSessionId(file)) ?? path.basename(plainName(file), ".jsonl");
    return { path: file, session, ino, size };
  } catch (err) {
    const gone = (err as NodeJS.ErrnoException).code === "ENOENT";
    return isEncryptedSessionFile(file) && !gone ? { path: file, error: (err as Error).message } : null;
  }
}

/** What a reader says of the encrypted sessions it left out, or null when it left none out. */
export function lockedSessionsText(locked: LockedSession[]): string | null {
  if (locked.length === 0) return null;
  const names = locked.map((l) => path.basename(l.path)).join(", ");
  return `left out ${locked.length} encrypted session${locked.length === 1 ? "" : "s"} (${names}): ${locked[0].error}`;
}
