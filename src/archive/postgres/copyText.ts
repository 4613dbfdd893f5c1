// Rows in PostgreSQL's COPY text format, and a message's words as a tsvector literal: the archive's bulk load is
// one COPY per batch, not a statement per row.
import type { ArchiveRow } from "../archiveRow.ts";

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
  const positions = new Map<string, number[]>();
  words.forEach((w, i) => {
    const list = positions.get(w);
    const pos = Math.min(i + 1, MAX_POSITION);
    if (!list) positions.set(w, [pos]);
    else if (list.length < MAX_POSITIONS_PER_WORD && list.at(-1) !== pos) list.push(pos);
  });
  const parts: string[] = [];
  const facetSet = new Set(facets);
  for (const [w, list] of positions) {
    // A word that is also a filter token (only ever by chance) carries a position of weight D for the filter.
    const marks = list.map((p) => `${p}A`);
    if (facetSet.delete(w)) marks.push(`${MAX_POSITION}D`);
    parts.push(`${lexeme(w)}:${marks.join(",")}`);
  }
  for (const f of facetSet) parts.push(lexeme(f));
  return parts.join(" ");
}

/** A lexeme quoted for tsvector / tsquery input (our words hold letters, digits and marks only; quoted anyway). */
export function lexeme(word: string): string {
  return `'${word.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** The COPY line of a row: source, session, seq, line_offset, line_length, ts, kind, line, tsv. */
export function copyLine(source: string, row: ArchiveRow): string {
  const tsv = row.message ? tsvectorLiteral(row.message.words, row.message.facets) : null;
  return `${[source, row.session, row.seq, row.offset, row.length, row.ts, row.kind, row.line, tsv].map(copyField).join("\t")}\n`;
}

export const COPY_COLUMNS = "source, session, seq, line_offset, line_length, ts, kind, line, tsv";
