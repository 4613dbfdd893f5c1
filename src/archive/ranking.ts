// What the archive backends share beyond SQL: the ranking of a query's matches as the local index ranks them
// (relevance with a recency boost, among the newest matches), and the new words of a batch for the vocabulary.
import type { ArchiveMatch } from "./archiveStore.ts";

/** Matches ranked per query: the newest this many (src/search/indexReader.ts ranks the same way). */
export const MATCH_POOL = 2000;

/** How much newer messages gain: the newest ranks up to this fraction better than an equally relevant oldest one. */
const RECENCY = 0.5;

/** Scores (negative relevance, lower is better) made up to RECENCY stronger for the newest, best first. */
export function boostedByRecency(matches: ArchiveMatch[]): ArchiveMatch[] {
  if (matches.length === 0) return matches;
  const times = matches.map((m) => Date.parse(m.ts));
  const tmin = Math.min(...times);
  const span = Math.max(1, Math.max(...times) - tmin);
  matches.forEach((m, i) => (m.score *= 1 + (RECENCY * (times[i] - tmin)) / span));
  return matches.sort((a, b) => a.score - b.score);
}

/** Words remembered as already in the vocabulary, per process: beyond, they are sent again (the store ignores them). */
const SENT_LIMIT = 1_000_000;

/** The batch's distinct words not sent before, sorted (two hosts adding words at once then never deadlock). */
export function newTerms(words: Iterable<string>, sent: Set<string>): string[] {
  if (sent.size > SENT_LIMIT) sent.clear();
  const fresh: string[] = [];
  for (const w of words) if (!sent.has(w)) fresh.push(w);
  return fresh.sort();
}
