// Session identity and sealing: which session a file holds, and moving the active one into sessions/ for good.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { parseRecordLine, type SessionRecord } from "../record.ts";
import { logsPaths } from "./logsDir.ts";
import type { ByteSource } from "./byteSource.ts";
import { openSessionSource, storedFormsOf } from "./sessionSource.ts";

/** UTC start time plus a short random suffix, e.g. 20261124T010203Z-3fa9. */
export function newSessionId(date = new Date()): string {
  return `${compactUtc(date)}-${randomBytes(2).toString("hex")}`;
}

/** 2026-11-24T01:02:03.456Z → 20261124T010203Z (with `ms`: 20261124T010203456Z). */
export function compactUtc(date: Date, ms = false): string {
  const iso = date.toISOString().replace(/[-:]/g, "");
  return ms ? iso.replace(".", "") : iso.replace(/\.\d+/, "");
}

/**
 * What may name a session: a session id names a file in sessions/, so one from outside (a flag, a file's first
 * line, a state file) must not reach another folder. Letters, digits, `_`, `.` and `-`, no `..`, at most 128.
 */
export function isSessionId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(id) && !id.includes("..");
}

const FIRST_LINE_MAX = 64 * 1024;

/**
 * The id in the file's first record (`session_started`), or null when the file is empty, starts otherwise, or names
 * its session with what cannot be a session id (the writer then gives the session an id of its own).
 */
export async function readSessionId(file: string): Promise<string | null> {
  const rec = await readFirstRecord(file);
  return rec?.kind === "event" && rec.event === "session_started" && typeof rec.session === "string" && isSessionId(rec.session) ? rec.session : null;
}

/** The file's first record, or null when the file is missing, empty, or its first line is not a record. */
export async function readFirstRecord(file: string): Promise<SessionRecord | null> {
  let fh: ByteSource;
  try {
    fh = await openSessionSource(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    const buf = Buffer.alloc(FIRST_LINE_MAX);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
    return nl === -1 ? null : parseRecordLine(buf.toString("utf8", 0, nl));
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}

/** Path of a sealed session. */
export function sealedFile(logsDir: string, sessionId: string): string {
  if (!isSessionId(sessionId)) throw new Error(`not a session id: ${JSON.stringify(sessionId)}`);
  return path.join(logsPaths(logsDir).sessions, `${sessionId}.jsonl`);
}

/** Where the session `sessionId` is sealed: sessions/<id>.jsonl, or with -2, -3… when that is taken in any stored
 * form (never overwritten). */
export async function freeSealedPath(logsDir: string, sessionId: string): Promise<string> {
  let target = sealedFile(logsDir, sessionId);
  for (let n = 2; await anyExists(storedFormsOf(target)); n++) target = sealedFile(logsDir, `${sessionId}-${n}`);
  return target;
}

async function anyExists(files: string[]): Promise<boolean> {
  for (const file of files) if (await fs.access(file).then(() => true, () => false)) return true;
  return false;
}
