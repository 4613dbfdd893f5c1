// Results as you type: each change of the query starts a search (after a short pause, so that keys arriving
// together start one) and cancels the one before. Hits are shown as they are found: the first at once, then a
// batch at a time.
import { useEffect, useRef } from "react";
import type { SearchHitView, TuiServices } from "./services.ts";
import type { SearchAction } from "./state/search.ts";
import type { TuiAction } from "./state/tui.ts";

/** Typing pauses this long before a search starts. */
export const SEARCH_DEBOUNCE_MS = 25;
/** After the first hit (shown at once), hits are drawn together at most this often: a frame per hit would cost
 * more than the search. */
export const HIT_BATCH_MS = 50;
/** A word of one letter being typed matches a good part of the vocabulary as a prefix, which costs seconds on a
 * large index: such a query waits for the next letter, or for a pause this long. */
export const ONE_LETTER_PAUSE_MS = 500;

/** How long to wait before searching `query`. */
export function searchDelay(query: string): number {
  return /(^|\s)[^\s"]$/u.test(query) ? ONE_LETTER_PAUSE_MS : SEARCH_DEBOUNCE_MS;
}

export function useSearchAsYouType(services: TuiServices, query: string, dispatch: (a: TuiAction) => void): void {
  // One search at a time: a cancelled search may take a moment to notice, and searches piled up would share the
  // CPU with the one that counts. The newest query starts when the one before has stopped; those typed past meanwhile
  // never start.
  const previous = useRef<Promise<void>>(Promise.resolve());
  useEffect(() => {
    if (!query.trim()) return;
    const abort = new AbortController();
    const search = (action: SearchAction<SearchHitView>) => !abort.signal.aborted && dispatch({ type: "search", action });
    let batch: SearchHitView[] = [];
    let flush: NodeJS.Timeout | null = null;
    let delivered = false;
    const deliver = () => {
      flush = null;
      delivered = true;
      search({ type: "found", query, hits: batch });
      batch = [];
    };
    const run = async () => {
      if (abort.signal.aborted) return;
      search({ type: "started", query });
      await services
        .search(query, {
          signal: abort.signal,
          onHit: (hit) => {
            batch.push(hit);
            flush ??= setTimeout(deliver, delivered ? HIT_BATCH_MS : 0);
          },
          onProgress: (text) => search({ type: "progress", query, text }),
        })
        .then(
          () => {
            if (flush) clearTimeout(flush);
            if (batch.length > 0) deliver();
            search({ type: "finished", query });
          },
          (err: unknown) => search({ type: "failed", query, error: err instanceof Error ? err.message : String(err) }),
        );
    };
    const timer = setTimeout(() => (previous.current = previous.current.then(run)), searchDelay(query));
    return () => {
      clearTimeout(timer);
      if (flush) clearTimeout(flush);
      abort.abort();
    };
  }, [query]);
}
