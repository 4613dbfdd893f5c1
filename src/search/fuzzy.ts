// Typo tolerance the way search engines do it: a query word is matched against the vocabulary of distinct indexed
// terms (small, unlike the messages): a bounded edit distance finds the terms within the allowed typos, fuse.js
// ranks them, and the index is then searched for the terms found.
import Fuse from "fuse.js";
import type { QueryWord } from "./queryParser.ts";

/** Typos allowed for a word of this length: none for short words (too many neighbours), one, then two. */
export function maxTypos(length: number): number {
  return length <= 3 ? 0 : length <= 7 ? 1 : 2;
}

/** Alternatives kept per query word: the closest ones; more only dilute the results. */
const MAX_ALTERNATIVES = 24;

/** What one query word searches for: terms, or prefixes written `term*`. */
export interface WordMatch {
  /** The word as typed (for a word being typed: the terms that begin with it). */
  exact: string[];
  /** Terms (or beginnings) within the allowed typos. */
  typos: string[];
}

/**
 * A word being typed is searched as the terms that begin with it, read from the vocabulary, up to this many;
 * beyond, as an FTS5 prefix query. Concrete terms let the index stop early at the newest matches.
 */
const MAX_EXPANSION = 64;

/**
 * Where a vocabulary's terms are looked up. The index keeps them on disk ordered and by length (src/search/
 * indexTerms.ts), so a process answers its first typo-tolerant query without loading, sorting or grouping them all.
 */
export interface TermSource {
  /** The terms whose length is within [min, max]. */
  withLengths(min: number, max: number): string[];
  /** At most `max` terms beginning with `prefix`, in order. */
  startingWith(prefix: string, max: number): string[];
  /** The distinct beginnings of `length` characters of the terms at least that long. */
  beginnings(length: number): string[];
}

export class Vocabulary {
  readonly #prefixes = new Map<number, string[]>();

  constructor(private readonly terms: TermSource) {}

  match(word: QueryWord): WordMatch {
    const k = maxTypos(word.term.length);
    if (!word.prefix) {
      return { exact: [word.term], typos: k === 0 ? [] : this.#close(word.term, k, this.terms.withLengths(word.term.length - k, word.term.length + k)) };
    }
    const typos = k === 0 ? [] : this.#close(word.term, k, this.#prefixesAround(word.term.length, k));
    return { exact: this.#expand([word.term]), typos: this.#expand(typos).filter((t) => !t.startsWith(word.term)) };
  }

  /** Beginnings → the terms that start with them (or `beginning*` when there are too many). */
  #expand(beginnings: string[]): string[] {
    const out = new Set<string>();
    for (const b of beginnings) {
      const terms = this.terms.startingWith(b, MAX_EXPANSION + 1);
      if (terms.length > MAX_EXPANSION || out.size + terms.length > MAX_EXPANSION) out.add(`${b}*`);
      else for (const t of terms) out.add(t);
    }
    return out.size > 0 ? [...out] : beginnings.map((b) => `${b}*`);
  }

  /**
   * Terms within k typos: a bounded edit-distance pass over the terms of lengths within k of the word (cheap, and
   * exact about what a typo is), then fuse.js ranks the few found, closest first.
   */
  #close(word: string, k: number, candidates: string[]): string[] {
    const found = candidates.filter((t) => t !== word && editDistance(word, t, k) <= k);
    if (found.length <= 1) return found;
    const ranked = new Fuse(found, { includeScore: true, threshold: 1, ignoreLocation: true, isCaseSensitive: true })
      .search(word)
      .map((r) => r.item);
    const rest = found.filter((t) => !ranked.includes(t));
    return [...ranked, ...rest].slice(0, MAX_ALTERNATIVES);
  }

  /** Beginnings of the terms with lengths within k of `length`: a typo in a word being typed is matched here. */
  #prefixesAround(length: number, k: number): string[] {
    const out: string[] = [];
    for (let len = Math.max(1, length - k); len <= length + k; len++) {
      let list = this.#prefixes.get(len);
      if (!list) this.#prefixes.set(len, (list = this.terms.beginnings(len)));
      out.push(...list);
    }
    return out;
  }
}

// Rows of the distance table, reused: the scan calls this for every distinct word it meets.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Optimal-string-alignment distance (a swap of neighbours is one typo), giving up past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (rows[0].length <= n) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** FTS5 MATCH text: per word the alternatives OR-ed, words and phrases AND-ed. */
export function ftsExpression(words: WordMatch[], phrases: string[][], withTypos: boolean): string {
  const quote = (t: string) => (t.endsWith("*") ? `"${t.slice(0, -1)}"*` : `"${t}"`);
  const groups = words.map((w) => {
    const alts = [...w.exact, ...(withTypos ? w.typos : [])].map(quote);
    return alts.length === 1 ? alts[0] : `(${alts.join(" OR ")})`;
  });
  for (const p of phrases) groups.push(`"${p.join(" ")}"`);
  return groups.join(" AND ");
}
