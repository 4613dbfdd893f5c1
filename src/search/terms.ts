// Words as the index sees them: the same split and folding as FTS5's unicode61 tokenizer with diacritics removed,
// so the query side, the scan and the highlighter agree with the index on what a word is.
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}/gu;

const NON_ASCII = /[^\x00-\x7f]/;

export function foldTerm(word: string): string {
  return NON_ASCII.test(word) ? word.normalize("NFKD").replace(MARKS, "").toLowerCase() : word.toLowerCase();
}

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const t = foldTerm(m[0]);
    if (t) out.push(t);
  }
  return out;
}

export interface TermSpan {
  term: string;
  start: number;
  end: number;
}

/** Words with their positions in the original text (for highlighting). */
export function termSpans(text: string): TermSpan[] {
  const out: TermSpan[] = [];
  for (const m of text.matchAll(WORD)) {
    const t = foldTerm(m[0]);
    if (t) out.push({ term: t, start: m.index, end: m.index + m[0].length });
  }
  return out;
}
