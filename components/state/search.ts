// The search pane as a pure reducer: the query being typed, the hits of the newest search as they stream in,
// progress while more come, and which hit n / N step to.
import type { TextEdit } from "../keys.ts";
import { initialWindow, listReducer, type ListAction, type ListWindow } from "./listWindow.ts";

export interface SearchState<H> {
  query: string;
  /** The query whose results are shown (results arrive after the user typed on). */
  shownQuery: string;
  running: boolean;
  progress: string | null;
  hits: H[];
  error: string | null;
  list: ListWindow;
}

export type SearchAction<H> =
  | { type: "edit"; edit: TextEdit }
  | { type: "started"; query: string }
  | { type: "progress"; query: string; text: string }
  | { type: "found"; query: string; hits: H[] }
  | { type: "finished"; query: string }
  | { type: "failed"; query: string; error: string }
  | { type: "list"; action: ListAction };

export function initialSearch<H>(height = 1): SearchState<H> {
  return { query: "", shownQuery: "", running: false, progress: null, hits: [], error: null, list: { ...initialWindow(0, height), cursor: 0 } };
}

export function searchReducer<H>(s: SearchState<H>, a: SearchAction<H>): SearchState<H> {
  switch (a.type) {
    case "edit": {
      if ("insert" in a.edit) return { ...s, query: s.query + a.edit.insert };
      if ("backspace" in a.edit) return { ...s, query: [...s.query].slice(0, -1).join("") };
      return s;
    }
    case "started":
      // The results of the query before stay on screen until the new one's first hit replaces them.
      return a.query === s.query ? { ...s, running: true, error: null, progress: null } : s;
    case "progress":
      return a.query === s.query ? { ...s, progress: a.text } : s;
    case "found": {
      if (a.query !== s.query) return s; // a late answer to an older query
      if (a.query !== s.shownQuery) {
        const list = listReducer(s.list, { type: "reset", total: a.hits.length, followable: false, cursor: 0 });
        return { ...s, shownQuery: a.query, hits: a.hits, list };
      }
      const hits = [...s.hits, ...a.hits];
      return { ...s, hits, list: listReducer(s.list, { type: "grow", total: hits.length }) };
    }
    case "finished": {
      if (a.query !== s.query) return s;
      // A search that found nothing still answers its query: the hits of the one before go.
      const cleared = s.shownQuery === a.query ? s : { ...s, shownQuery: a.query, hits: [], list: listReducer(s.list, { type: "reset", total: 0, followable: false, cursor: 0 }) };
      return { ...cleared, running: false, progress: null };
    }
    case "failed":
      return a.query === s.query ? { ...s, running: false, progress: null, error: a.error } : s;
    case "list":
      return { ...s, list: listReducer(s.list, a.action) };
  }
}

/** The hit n / N moves to, wrapping around. */
export function stepHit<H>(s: SearchState<H>, dir: 1 | -1): SearchState<H> {
  if (s.hits.length === 0) return s;
  const index = (s.list.cursor + dir + s.hits.length) % s.hits.length;
  return { ...s, list: listReducer(s.list, { type: "jump", index }) };
}
