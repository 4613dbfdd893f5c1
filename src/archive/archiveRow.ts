// One line of a session file as an archive stores it: the line exactly as written, where it was, and for a message
// what search needs — the same text, words and filter values the local index takes (src/search), so a query finds
// the same messages in an archive as in the logs folder.
import { isMessage } from "../record.ts";
import type { Entry } from "../storage/entry.ts";
import { facetText } from "../search/facets.ts";
import { docFields, type DocFields } from "../search/recordFields.ts";
import { tokenize } from "../search/terms.ts";

export interface ArchiveRow {
  session: string;
  seq: number;
  /** Byte offset and length of the line in its session file (search hits point there, as the local ones do). */
  offset: number;
  length: number;
  ts: string;
  kind: "message" | "event";
  /** The record's line, unchanged. */
  line: string;
  message: ArchivedMessage | null;
}

export interface ArchivedMessage {
  fields: DocFields;
  /** The text's words in order (positions for phrases), as the local index splits and folds them. */
  words: string[];
  /** Filter values as tokens (src/search/facets.ts). */
  facets: string[];
}

/** Longer "words" (base64, hashes) are nothing anyone types, and PostgreSQL refuses lexemes over 2 KB. */
export const MAX_WORD_LENGTH = 200;

/** The row of an entry, or null for a damaged line (no record, so no identity: it stays in the logs folder only). */
export function archiveRow(session: string, e: Entry): ArchiveRow | null {
  const rec = e.record;
  if (!rec) return null;
  const base = { session, seq: rec.seq, offset: e.offset, length: e.length, ts: validTs(rec.ts), kind: rec.kind, line: e.raw };
  if (!isMessage(rec)) return { ...base, message: null };
  const fields = docFields(rec);
  return {
    ...base,
    message: {
      fields,
      words: tokenize(fields.text).filter((w) => w.length <= MAX_WORD_LENGTH),
      facets: facetText(fields).split(" ").filter((t) => t.length > 0 && t.length <= MAX_WORD_LENGTH),
    },
  };
}

/** A record's time as stored, or the epoch when it has none a database can read (the line keeps what it said). */
function validTs(ts: unknown): string {
  return typeof ts === "string" && !Number.isNaN(Date.parse(ts)) ? new Date(Date.parse(ts)).toISOString() : new Date(0).toISOString();
}
