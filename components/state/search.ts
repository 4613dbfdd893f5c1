// The search pane as a pure reducer: the query being typed, the hits of the last finished search, progress
// while an index is still being built, and which hit n / N step to.
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
  | { type: "started" }
  | { type: "progress"; text: string }
  | { type: "results"; query: string; hits: H[]; done: boolean }
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
      return { ...s, running: true, error: null };
    case "progress":
      return { ...s, progress: a.text };
    case "results": {
      if (a.query !== s.query) return s; // a late answer to an older query
      const list = a.query === s.shownQuery ? listReducer(s.list, { type: "grow", total: a.hits.length })
        : listReducer(s.list, { type: "reset", total: a.hits.length, followable: false, cursor: 0 });
      return { ...s, shownQuery: a.query, hits: a.hits, list, running: !a.done, progress: a.done ? null : s.progress };
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
