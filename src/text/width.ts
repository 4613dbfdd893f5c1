// Fitting text to terminal columns: wide characters (CJK, emoji) take two, combining marks none.
import stringWidth from "string-width";

const PLAIN = /^[\x20-\x7e]*$/;
const widths = new Map<string, number>();
const graphemes = new Intl.Segmenter();

/** User-perceived characters (a base and its combining marks, emoji sequences) one at a time. */
function* charsOf(text: string): Generator<string> {
  for (const g of graphemes.segment(text)) yield g.segment;
}

/** Terminal columns of one grapheme; string-width is exact but slow, so each character is measured once. */
function charWidth(ch: string): number {
  let w = widths.get(ch);
  if (w === undefined) {
    w = stringWidth(ch);
    if (widths.size < 10_000) widths.set(ch, w);
  }
  return w;
}

/** Cut (with …) or pad a string to exactly `width` terminal columns; only the part that fits is measured. */
export function fit(text: string, width: number): string {
  if (width <= 0) return "";
  if (PLAIN.test(text)) return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
  let out = "";
  let used = 0;
  let keep = 0; // length of `out` that still leaves a column for "…"
  let keptWidth = 0;
  for (const ch of charsOf(text)) {
    const cw = charWidth(ch);
    if (used + cw > width) return `${out.slice(0, keep)}…${" ".repeat(Math.max(0, width - 1 - keptWidth))}`;
    out += ch;
    used += cw;
    if (used <= width - 1) {
      keep = out.length;
      keptWidth = used;
    }
  }
  return out + " ".repeat(width - used);
}

/** Wrap text to `width` columns (the detail view shows whole texts). */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    let used = 0;
    for (const ch of PLAIN.test(para) ? para : charsOf(para)) {
      const cw = charWidth(ch);
      if (used + cw > width) {
        out.push(line);
        line = "";
        used = 0;
      }
      line += ch;
      used += cw;
    }
    out.push(line);
  }
  return out;
}

/** `text` cut to at most `width` columns, ending with `…` when something was cut; never padded when it fits. */
export function clipToWidth(text: string, width: number): string {
  return stringWidth(text) <= width ? text : fit(text, width);
}
