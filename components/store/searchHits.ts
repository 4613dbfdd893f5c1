// A query's hits as the screen shows them, from the one search module: every text sanitized, the matches marked.
// The TUI's searches run this in the search threads (searchThread.ts), so a query's index lookups never hold up a
// frame; an archive's search shows its hits the same way.
import { search } from "../../src/search/search.ts";
import { sanitizeForTerminal } from "../../src/text/sanitize.ts";
import { hitSpeakerOf } from "../../src/text/speaker.ts";
import { timeOf } from "../format.ts";
import { matchedWords, sanitizeMarked } from "../highlight.ts";
import type { HitFields } from "../../src/search/hitFields.ts";
import type { SearchCallbacks, SearchHitView } from "../services.ts";

export const SEARCH_LIMIT = 50;

/** A hit as the screen shows it (`session`: how the store's `locate` finds it again). */
export function hitView(h: HitFields, session = h.session): SearchHitView {
  return {
    session,
    seq: h.seq,
    time: timeOf(h.ts),
    who: sanitizeForTerminal(hitSpeakerOf(h)),
    snippet: sanitizeMarked(h.snippet.text, h.snippet.hits),
    words: matchedWords(h.snippet.text, h.snippet.hits),
    rewound: h.rewound,
  };
}

export async function searchHits(logsDir: string, query: string, { signal, onHit, onProgress }: SearchCallbacks): Promise<void> {
  const stream = search(logsDir, query, {
    scope: "all",
    limit: SEARCH_LIMIT,
    signal,
    onProgress: (p) => {
      if (p.scanBytes > 0 && !p.done) onProgress(`scanning what the index does not cover yet: ${Math.round((p.scannedBytes / p.scanBytes) * 100)}%`);
    },
  });
  for await (const h of stream) {
    if (signal.aborted) break;
    onHit(hitView(h));
  }
}
