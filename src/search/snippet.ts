// A one-line excerpt of a message around its first hit, with the hits as [start, end) ranges into the excerpt,
// so each front end marks them its own way (the TUI with colour, --json as data) and sanitizes the text itself.
import { termSpans } from "./terms.ts";

export interface Snippet {
  text: string;
  hits: Array<[number, number]>;
}

const BEFORE = 40;

export function snippetWithHits(text: string, isHit: (term: string) => boolean, width = 160): Snippet {
  const flat = text.replace(/\s+/g, " ").trim();
  const spans = termSpans(flat).filter((s) => isHit(s.term));
  let start = spans.length > 0 ? Math.max(0, spans[0].start - BEFORE) : 0;
  if (start > 0) {
    const space = flat.lastIndexOf(" ", start);
    start = space > 0 && spans[0].start - space <= BEFORE * 2 ? space + 1 : start;
  }
  const end = Math.min(flat.length, start + width);
  const lead = start > 0 ? "…" : "";
  const body = flat.slice(start, end);
  const shift = lead.length - start;
  const hits = spans
    .filter((s) => s.start >= start && s.end <= end)
    .map((s): [number, number] => [s.start + shift, s.end + shift]);
  return { text: `${lead}${body}${end < flat.length ? "…" : ""}`, hits };
}
