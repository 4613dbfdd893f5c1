// One line of a session file as an archive stores it: the line exactly as written, where it was, and for a message
// what search needs — the same text, words and filter values the local index takes (src/search), so a query finds
// the same messages in an archive as in the logs folder.
import { isMessage } from "../record.ts";
import type { Entry } from "../storage/entry.ts";
import { facetText } from "../search/facets.ts";
import { docFields } from "../search/recordFields.ts";
import { tokenize } from "../search/terms.ts";
import { rewindFacts, type RewindFacts } from "./tappedRewinds.ts";

/** `place` / `named`: what a transcript message or a tap's rewind event adds to the archive's rewinds (tappedRewinds.ts). */
export interface ArchiveRow extends RewindFacts {
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
  /** The text the local index takes of it (src/search/recordFields.ts). */
  text: string;
  /** Filter values as tokens (src/search/facets.ts). */
  facets: string[];
}

/** Longer "words" (base64, hashes) are nothing anyone types, and PostgreSQL refuses lexemes over 2 KB. */
export const MAX_WORD_LENGTH = 200;

/** The row of an entry, or null for a damaged line (no record, so no identity: it stays in the logs folder only). */
export function archiveRow(session: string, e: Entry): ArchiveRow | null {
  const rec = e.record;
  if (!rec) return null;
  const base = { session, seq: rec.seq, offset: e.offset, length: e.length, ts: validTs(rec.ts), kind: rec.kind, line: e.raw, ...rewindFacts(rec) };
  if (!isMessage(rec)) return { ...base, message: null };
  const fields = docFields(rec);
  return {
    ...base,
    message: { text: fields.text, facets: facetText(fields).split(" ").filter((t) => t.length > 0 && t.length <= MAX_WORD_LENGTH) },
  };
}

/**
 * A message's words in order (positions for phrases), as the local index splits and folds them. Made as a backend
 * stores the row rather than kept with it: a batch's rows then hold a few strings each, not a word list, and what
 * the garbage collector has to go through while a batch waits to be stored is a fraction.
 */
export function messageWords(m: ArchivedMessage): string[] {
  return tokenize(m.text).filter((w) => w.length <= MAX_WORD_LENGTH);
}

/** A record's time as stored, or the epoch when it has none a database can read (the line keeps what it said). */
function validTs(ts: unknown): string {
  if (typeof ts !== "string") return EPOCH;
  // The recorder writes this very form: it is its own ISO string, no parse and print needed.
  if (ISO_UTC.test(ts) && !Number.isNaN(Date.parse(ts))) return ts;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? EPOCH : new Date(ms).toISOString();
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const EPOCH = new Date(0).toISOString();
