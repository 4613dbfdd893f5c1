// The few words of the archive's vocabulary that pg_trgm found near a query word, as the local fuzzy step reads a
// vocabulary (src/search/fuzzy.ts TermSource): the same edit distance and ranking then decide among them.
import type { TermSource } from "../../search/fuzzy.ts";

export class CandidateTerms implements TermSource {
  readonly #sorted: string[];

  constructor(terms: Iterable<string>) {
    this.#sorted = [...new Set(terms)].sort();
  }

  withLengths(min: number, max: number): string[] {
    return this.#sorted.filter((t) => t.length >= min && t.length <= max);
  }

  startingWith(prefix: string, max: number): string[] {
    return this.#sorted.filter((t) => t.startsWith(prefix)).slice(0, max);
  }

  beginnings(length: number): string[] {
    return [...new Set(this.#sorted.filter((t) => t.length >= length).map((t) => t.slice(0, length)))];
  }
}
