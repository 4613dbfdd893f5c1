// Text whose every character takes exactly one terminal column: printable ASCII, Latin letters, punctuation,
// arrows, box drawing, block elements and geometric shapes (what rows, separators, sparklines and the status bar's
// ○ ● are made of). For such text the width is its length, which spares string-width's grapheme segmentation, the
// costliest part of drawing a frame (its first call alone, which sets up the segmenter, took 100 ms on a first
// screen). Nothing zero-width (soft hyphen, joiners, combining marks), wide (CJK) or that string-width counts as an
// emoji (©, ®, ↔, ▶, ◀, ▪…) is in these ranges.
import { stripVTControlCharacters } from "node:util";

const NARROW = /^[\u0020-\u007E\u00A1-\u00A8\u00AA-\u00AC\u00AF-\u02FF\u2010-\u2027\u2030-\u203B\u203D-\u2048\u204A-\u205E\u2190-\u2193\u219A-\u21A8\u21AB-\u21FF\u2500-\u25A9\u25AC-\u25B5\u25B7-\u25BF\u25C1-\u25FA]*$/;

export function isNarrowText(text: string): boolean {
  return NARROW.test(text);
}

/** The columns `text` takes when, its escape sequences (styling) aside, it is narrow text; else undefined. */
export function narrowWidth(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const plain = text.includes("\u001b") || text.includes("\u009b") ? stripVTControlCharacters(text) : text;
  return NARROW.test(plain) ? plain.length : undefined;
}
