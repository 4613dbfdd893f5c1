// Search matches marked in screen text. The search module gives [start, end) ranges into text it has not sanitized;
// here the text is sanitized piece by piece, so the ranges keep pointing at the same characters, and a marked text
// is fitted to a width as segments, cut with … like any other cell.
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { fit } from "../src/text/width.ts";

export type Range = [number, number];

/** Screen-safe text and the ranges of its matches. */
export interface Marked {
  text: string;
  hits: Range[];
}

export interface Segment {
  text: string;
  hit: boolean;
}

/** Sanitizes `text` (one line) and maps `hits` onto the sanitized text. */
export function sanitizeMarked(text: string, hits: Range[]): Marked {
  let out = "";
  let at = 0;
  const mapped: Range[] = [];
  for (const [start, end] of [...hits].sort((a, b) => a[0] - b[0])) {
    if (start < at || end <= start || end > text.length) continue; // overlapping or out of range: not marked
    out += sanitizeForTerminal(text.slice(at, start));
    const from = out.length;
    out += sanitizeForTerminal(text.slice(start, end));
    mapped.push([from, out.length]);
    at = end;
  }
  return { text: out + sanitizeForTerminal(text.slice(at)), hits: mapped };
}

/** The words a hit matched, as found in its snippet (lower case, each once). */
export function matchedWords(text: string, hits: Range[]): string[] {
  return [...new Set(hits.map(([a, b]) => text.slice(a, b).toLowerCase()).filter(Boolean))];
}

/** Where any of `words` occurs in `line`, whatever its letter case. */
export function rangesOfWords(line: string, words: readonly string[]): Range[] {
  if (words.length === 0) return [];
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "giu");
  const out: Range[] = [];
  for (const m of line.matchAll(pattern)) if (m[0].length > 0) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** `marked` cut (with …) or padded to exactly `width` columns, as plain and marked segments. */
export function fitMarked(marked: Marked, width: number): Segment[] {
  const fitted = fit(marked.text, width);
  const whole = fitted.startsWith(marked.text) && fitted.slice(marked.text.length).trim() === "";
  const kept = whole ? marked.text.length : fitted.lastIndexOf("…");
  const out: Segment[] = [];
  let at = 0;
  for (const [start, end] of marked.hits) {
    if (start >= kept) break;
    if (start > at) out.push({ text: fitted.slice(at, start), hit: false });
    out.push({ text: fitted.slice(start, Math.min(end, kept)), hit: true });
    at = Math.min(end, kept);
  }
  out.push({ text: fitted.slice(at), hit: false });
  return out.filter((s) => s.text.length > 0);
}
