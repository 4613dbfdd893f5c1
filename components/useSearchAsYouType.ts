// Results as you type: each change of the query starts a search (after a short pause, so that keys arriving
// together start one) and cancels the one before. Hits are shown as they are found: the first at once, then a
// batch at a time; "searching…" only when they take a moment.
import { useEffect, useRef } from "react";
import type { SearchHitView, TuiServices } from "./services.ts";
import type { SearchAction } from "./state/search.ts";
import type { TuiAction } from "./state/tui.ts";

/** Typing pauses this long before a search starts. */
export const SEARCH_DEBOUNCE_MS = 25;
/** After the first hit (shown at once), hits are drawn together at most this often: a frame per hit would cost
 * more than the search. */
export const HIT_BATCH_MS = 50;
/** "searching…" shows only when the first hit takes longer than this: a quick search draws its hits in the frame
 * that would have said it is searching, one frame sooner. */
export const SEARCHING_SHOWN_AFTER_MS = 40;
/** A word of up to three letters being typed can match a good part of the vocabulary as a prefix, which costs
 * seconds on a large index, in a lookup that cannot be stopped once started (on 1,000,000 messages: `que` 0.9 s,
 * `mer` 1.1 s, `tol` 1.7 s, where every four-letter prefix tried took under 35 ms): such a query waits for the next
 * letter, or for a pause this long. */
export const SHORT_WORD_PAUSE_MS = 500;

/** How long to wait before searching `query`. */
export function searchDelay(query: string): number {
  return /(^|\s)[^\s"]{1,3}$/u.test(query) ? SHORT_WORD_PAUSE_MS : SEARCH_DEBOUNCE_MS;
}

export function useSearchAsYouType(services: TuiServices, query: string, dispatch: (a: TuiAction) => void): void {
  // One search at a time from here: the newest query starts once the one before has been cancelled (the services
  // let that one finish its lookup apart: LiveServices in a second search thread), and those typed past meanwhile
  // never start, so searches never pile up to share the CPU with the one that counts.
  const previous = useRef<Promise<void>>(Promise.resolve());
  useEffect(() => {
    if (!query.trim()) return;
    const abort = new AbortController();
    const search = (action: SearchAction<SearchHitView>) => !abort.signal.aborted && dispatch({ type: "search", action });
    let batch: SearchHitView[] = [];
    let flush: NodeJS.Timeout | null = null;
    let delivered = false;
    let searching: NodeJS.Timeout | null = null;
    const started = () => {
      if (searching) clearTimeout(searching);
      searching = null;
      search({ type: "started", query });
    };
    const deliver = () => {
      flush = null;
      if (searching) started();
      delivered = true;
      search({ type: "found", query, hits: batch });
      batch = [];
    };
    const run = async () => {
      if (abort.signal.aborted) return;
      searching = setTimeout(started, SEARCHING_SHOWN_AFTER_MS);
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
            if (searching) started();
            search({ type: "finished", query });
          },
          (err: unknown) => {
            if (searching) clearTimeout(searching);
            search({ type: "failed", query, error: err instanceof Error ? err.message : String(err) });
          },
        );
    };
    const timer = setTimeout(() => (previous.current = previous.current.then(run)), searchDelay(query));
    return () => {
      clearTimeout(timer);
      if (flush) clearTimeout(flush);
      if (searching) clearTimeout(searching);
      abort.abort();
    };
  }, [query]);
}
