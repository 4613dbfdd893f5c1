// Gemini CLI's legacy transcript followed live. The file is one JSON object rewritten whole (a new file renamed
// over it), so a tap reads it whole on each change — up to LEGACY_MAX_BYTES — and records only the messages whose id
// no record has yet; the ids recorded are kept in the tap state (and found in the session after a crash). A file
// caught in the middle of a write is not JSON yet: it is left for its next change.
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import type { SourceRef } from "../record.ts";
import { checkLegacySize, legacyRecordsOf } from "./geminiLegacy.ts";
import type { TranscriptRecord } from "./records.ts";

/** Where Gemini CLI keeps them: `<project>/chats/session-<time>.json`. */
export function isLegacyTranscriptName(file: string): boolean {
  return /^session-.*\.json$/.test(path.basename(file));
}

/** What a legacy record is known by: its message's id (the session's for the first record), from its meta.source. */
export function legacyKey(src: SourceRef): string {
  return src.id ?? `line ${src.line}`;
}

/** The file's records, or null while it is torn (not yet whole JSON). */
export async function readLegacyTranscript(file: string, fh: FileHandle): Promise<TranscriptRecord[] | null> {
  checkLegacySize(file, (await fh.stat()).size);
  const text = await fh.readFile("utf8");
  try {
    return legacyRecordsOf(file, text);
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}
