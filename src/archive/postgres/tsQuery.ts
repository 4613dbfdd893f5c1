// A parsed query (src/search/queryParser.ts) as tsquery text: the same words, typo alternatives, phrases and field
// filters as the local FTS5 index is asked (src/search/fuzzy.ts ftsExpression, facets.ts), in PostgreSQL's syntax.
import { facetGroups, type FacetGroup } from "../../search/facets.ts";
import type { WordMatch } from "../../search/fuzzy.ts";
import type { Filters } from "../../search/queryParser.ts";
import { lexeme } from "./copyText.ts";

/** `term` or a beginning written `term*`, among a message's words (weight A). */
function wordTerm(t: string): string {
  return t.endsWith("*") ? `${lexeme(t.slice(0, -1))}:*A` : `${lexeme(t)}:A`;
}

/** The words and phrases: per word its alternatives OR-ed, words and phrases AND-ed; null when there are none. */
export function wordsQuery(words: WordMatch[], phrases: string[][], withTypos: boolean): string | null {
  const groups = words.map((w) => `(${[...w.exact, ...(withTypos ? w.typos : [])].map(wordTerm).join(" | ")})`);
  for (const p of phrases) groups.push(`(${p.map(wordTerm).join(" <-> ")})`);
  return groups.length > 0 ? groups.join(" & ") : null;
}

/** The field filters: one value of every filtered field, among the filter tokens (weight D). */
export function filtersQuery(f: Filters): string | null {
  return groupsQuery(facetGroups(f));
}

/** Filter token groups: a token of every group. */
export function groupsQuery(groups: FacetGroup[]): string | null {
  const alts = groups.map(({ tokens, prefix }) => `(${tokens.map((t) => `${lexeme(t)}:${prefix ? "*" : ""}D`).join(" | ")})`);
  return alts.length > 0 ? alts.join(" & ") : null;
}
