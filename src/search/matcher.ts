// Whether one message matches a query, decided on the message itself: the scan of what is not indexed yet uses
// it, and the highlighter uses its word test to mark the hits in a snippet.
import { editDistance, maxTypos } from "./fuzzy.ts";
import type { Filters, Query, QueryWord } from "./queryParser.ts";
import type { DocFields } from "./recordFields.ts";
import { tokenize } from "./terms.ts";

/** A word of the text matches a query word: the same, within the allowed typos, or (while typing) beginning so. */
export function wordMatches(token: string, w: QueryWord): boolean {
  if (token === w.term || (w.prefix && token.startsWith(w.term))) return true;
  const k = maxTypos(w.term.length);
  if (k === 0) return false;
  if (!w.prefix) return editDistance(w.term, token, k) <= k;
  // A word being typed matches a word whose beginning (of about its length) is within the typos.
  for (let len = Math.max(1, w.term.length - k); len <= Math.min(token.length, w.term.length + k); len++) {
    if (editDistance(w.term, token.slice(0, len), k) <= k) return true;
  }
  return false;
}

export function filtersMatch(f: Filters, d: DocFields): boolean {
  const lower = (s: string) => s.toLowerCase();
  if (f.from.length > 0 && !f.from.includes(lower(d.agent))) return false;
  if (f.to.length > 0 && !f.to.includes(lower(d.recipient))) return false;
  if (f.type.length > 0 && !f.type.some((t) => t === d.type || t === d.chain)) return false;
  if (f.tier.length > 0 && (d.tier === null || !f.tier.includes(d.tier))) return false;
  if (f.tag.length > 0 && !f.tag.some((t) => d.tags.includes(t))) return false;
  if (f.topic.length > 0 && !f.topic.some((t) => lower(d.topic).startsWith(lower(t)))) return false;
  if (f.tool.length > 0 && !f.tool.some((t) => d.tools.includes(t))) return false;
  if (f.model.length > 0 && !f.model.includes(d.model)) return false;
  if (f.role.length > 0 && !f.role.includes(d.role)) return false;
  if (f.has.length > 0 && !f.has.some((h) => (h === "rewound" ? d.rewound : d.error))) return false;
  if (f.source.length > 0 && !f.source.includes(d.source)) return false;
  if (f.since !== undefined && !(d.ts >= f.since)) return false;
  if (f.until !== undefined && !(d.ts <= f.until)) return false;
  return true;
}

/** Distinct words remembered per matcher: texts repeat words, so each is judged once (bounded memory). */
const MEMO_LIMIT = 100_000;

export class Matcher {
  readonly #phraseWords: Set<string>;
  /** Word of a text → bit i set when it matches query word i. */
  readonly #memo = new Map<string, number>();
  readonly #all: number;

  constructor(readonly query: Query) {
    this.#phraseWords = new Set(query.phrases.flat());
    this.#all = 2 ** Math.min(query.words.length, 30) - 1;
  }

  matches(d: DocFields): boolean {
    if (!filtersMatch(this.query.filters, d)) return false;
    const { words, phrases } = this.query;
    if (words.length === 0 && phrases.length === 0) return true;
    const tokens = tokenize(d.text);
    if (words.length > 0) {
      let found = 0;
      for (const t of tokens) if ((found |= this.wordBits(t)) === this.#all) break;
      if (found !== this.#all) return false;
    }
    return phrases.every((p) => containsPhrase(tokens, p));
  }

  /** Whether a word of a message is one of the query's hits (for highlighting). */
  isHit(term: string): boolean {
    return this.#phraseWords.has(term) || this.wordBits(term) !== 0;
  }

  /** Bit i is set when the word matches query word i. */
  wordBits(token: string): number {
    let bits = this.#memo.get(token);
    if (bits === undefined) {
      bits = 0;
      this.query.words.forEach((w, i) => {
        if (i < 30 && wordMatches(token, w)) bits! |= 1 << i;
      });
      if (this.#memo.size >= MEMO_LIMIT) this.#memo.clear();
      this.#memo.set(token, bits);
    }
    return bits;
  }
}

function containsPhrase(tokens: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}
