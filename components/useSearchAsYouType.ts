// Results as you type: each change of the query starts a search (after a short pause, so that keys arriving
// together start one) and cancels the one before. Hits are shown as they are found, a frame's worth at a time.
import { useEffect } from "react";
import type { SearchHitView, TuiServices } from "./services.ts";
import type { TuiAction } from "./state/tui.ts";

/** Typing pauses this long before a search starts. */
export const SEARCH_DEBOUNCE_MS = 25;

export function useSearchAsYouType(services: TuiServices, query: string, dispatch: (a: TuiAction) => void): void {
  useEffect(() => {
    if (!query.trim()) return;
    const abort = new AbortController();
    const search = (action: TuiAction & { type: "search" }) => !abort.signal.aborted && dispatch(action);
    let batch: SearchHitView[] = [];
    let flush: NodeJS.Immediate | null = null;
    const deliver = () => {
      flush = null;
      search({ type: "search", action: { type: "found", query, hits: batch } });
      batch = [];
    };
    const timer = setTimeout(() => {
      search({ type: "search", action: { type: "started", query } });
      services
        .search(query, {
          signal: abort.signal,
          onHit: (hit) => {
            batch.push(hit);
            flush ??= setImmediate(deliver);
          },
          onProgress: (text) => search({ type: "search", action: { type: "progress", query, text } }),
        })
        .then(
          () => {
            if (flush) clearImmediate(flush);
            if (batch.length > 0) deliver();
            search({ type: "search", action: { type: "finished", query } });
          },
          (err: unknown) => search({ type: "search", action: { type: "failed", query, error: err instanceof Error ? err.message : String(err) } }),
        );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      if (flush) clearImmediate(flush);
      abort.abort();
    };
  }, [query]);
}
