// Rows in PostgreSQL's COPY text format, and a message's words as a tsvector literal: the archive's bulk load is
// one COPY per batch, not a statement per row.
import { messageWords, type ArchiveRow } from "../archiveRow.ts";

/** COPY's text format: backslash, and the characters that separate fields and rows, escaped. */
export function copyField(value: string | number | null): string {
  if (value === null) return "\\N";
  if (typeof value === "number") return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : value;
}

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** PostgreSQL keeps positions up to this, and at most this many per lexeme. */
const MAX_POSITION = 16383;
const MAX_POSITIONS_PER_WORD = 255;

/**
 * The text's words with their positions, weight A, and the filter tokens without positions: queries ask for words
 * as `'w':A` and filters as `'t':D`, so a word of a message never passes for a filter value.
 */
export function tsvectorLiteral(words: string[], facets: string[]): string {
  // One entry per distinct word, its text grown position by position: this runs for every message pushed, and
  // per-word lists joined at the end cost more in garbage than the text itself.
  const index = new Map<string, number>();
  const parts: string[] = [];
  const counts: number[] = [];
  /** Words holding the last position already (every word past it gets that one). */
  let atLast: Set<number> | null = null;
  for (let i = 0; i < words.length; i++) {
    const pos = i < MAX_POSITION ? i + 1 : MAX_POSITION;
    let k = index.get(words[i]);
    if (k === undefined) {
      k = parts.length;
      index.set(words[i], k);
      // A word holds letters, digits and marks only (src/search/terms.ts): nothing in it to escape.
      parts.push(`'${words[i]}':${pos}A`);
      counts.push(1);
    } else if (counts[k] < MAX_POSITIONS_PER_WORD && !(pos === MAX_POSITION && atLast?.has(k))) {
      parts[k] += `,${pos}A`;
      counts[k]++;
    } else continue;
    if (pos === MAX_POSITION) (atLast ??= new Set()).add(k);
  }
  const wordParts = parts.length;
  for (const f of facets) {
    const k = index.get(f);
    if (k === undefined) {
      index.set(f, parts.length);
      parts.push(lexeme(f));
    } else if (k < wordParts && !parts[k].endsWith("D")) {
      // A word that is also a filter token (only ever by chance) carries a position of weight D for the filter.
      parts[k] += `,${MAX_POSITION}D`;
    }
  }
  return parts.join(" ");
}

/** A lexeme quoted for tsvector / tsquery input (our words hold letters, digits and marks only; quoted anyway). */
export function lexeme(word: string): string {
  return NEEDS_ESCAPES.test(word) ? `'${word.replace(/\\/g, "\\\\").replace(/'/g, "''")}'` : `'${word}'`;
}

const NEEDS_ESCAPES = /['\\]/;

/** The COPY line of a row: source, session, seq, line_offset, line_length, ts, kind, line, tsv. */
export function copyLine(source: string, row: ArchiveRow, words = row.message ? messageWords(row.message) : []): string {
  const tsv = row.message ? copyField(tsvectorLiteral(words, row.message.facets)) : "\\N";
  return `${copyField(source)}\t${copyField(row.session)}\t${row.seq}\t${row.offset}\t${row.length}\t${copyField(row.ts)}\t${copyField(row.kind)}\t${copyField(row.line)}\t${tsv}\n`;
}

export const COPY_COLUMNS = "source, session, seq, line_offset, line_length, ts, kind, line, tsv";
