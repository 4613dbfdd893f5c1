// The whole TUI's state as one pure reducer with named actions: the panes (app.ts), the dialog, the list windows,
// the search, the detail's folds, whether the message list was reached through a search hit, and a short notice
// for the status bar. useTui (components/useTui.ts) puts it behind a hook.
import type { SearchHitView } from "../services.ts";
import { appReducer, initialApp, type AppAction, type AppState } from "./app.ts";
import { dialogReducer, type Dialog, type DialogAction } from "./dialog.ts";
import { initialWindow, listReducer, type ListAction, type ListWindow } from "./listWindow.ts";
import { initialSearch, searchReducer, type SearchAction, type SearchState } from "./search.ts";

/** The lists with a window of their own. */
export type ListName = "messages" | "checkpoints" | "detail" | "analytics";

export interface TuiState {
  app: AppState;
  dialog: Dialog | null;
  messages: ListWindow;
  checkpoints: ListWindow;
  detail: ListWindow;
  analytics: ListWindow;
  search: SearchState<SearchHitView>;
  /** What Enter changed in the open detail: JSON objects folded, thinking and tool results opened (see detailOf). */
  folds: ReadonlySet<string>;
  /** The message list was reached through a search hit: n / N step through the hits, which `hitNote` counts. */
  hitContext: boolean;
  hitNote: string | null;
  /** One line for the status bar (what `y` copied, why `o` could not open); replaced by the next. */
  notice: string | null;
}

export type TuiAction =
  | { type: "app"; action: AppAction }
  | { type: "dialog"; action: DialogAction }
  | { type: "list"; list: ListName; action: ListAction }
  | { type: "search"; action: SearchAction<SearchHitView> }
  | { type: "resize"; heights: Record<ListName | "search", number> }
  | { type: "openDetail"; index: number; lines: number }
  | { type: "folds"; folds: ReadonlySet<string> }
  | { type: "hitContext"; on: boolean; note?: string | null }
  | { type: "notice"; text: string | null };

export const NO_FOLDS: ReadonlySet<string> = new Set();

export function initialTui(height: number, app: Partial<AppState> = {}): TuiState {
  return {
    app: { ...initialApp, ...app },
    dialog: null,
    messages: initialWindow(0, height, true),
    checkpoints: { ...initialWindow(1, height), cursor: 0 },
    detail: initialWindow(0, height),
    analytics: initialWindow(0, height),
    search: initialSearch<SearchHitView>(height - 1),
    folds: NO_FOLDS,
    hitContext: false,
    hitNote: null,
    notice: null,
  };
}

export function tuiReducer(s: TuiState, a: TuiAction): TuiState {
  switch (a.type) {
    case "app":
      return changed(s, "app", appReducer(s.app, a.action));
    case "dialog":
      return changed(s, "dialog", dialogReducer(s.dialog, a.action));
    case "list":
      return changed(s, a.list, listReducer(s[a.list], a.action));
    case "search":
      return changed(s, "search", searchReducer(s.search, a.action));
    case "resize": {
      let next = s;
      for (const list of ["messages", "checkpoints", "detail", "analytics"] as const) next = tuiReducer(next, { type: "list", list, action: { type: "resize", height: a.heights[list] } });
      return tuiReducer(next, { type: "search", action: { type: "list", action: { type: "resize", height: a.heights.search } } });
    }
    case "openDetail": {
      // Laid out at once, unfolded, so that keys typed right after Enter already scroll it.
      const detail = listReducer(s.detail, { type: "reset", total: a.lines, followable: false, cursor: 0 });
      return { ...s, folds: NO_FOLDS, detail, app: appReducer(s.app, { type: "openDetail", index: a.index }) };
    }
    case "folds":
      return changed(s, "folds", a.folds);
    case "hitContext":
      return s.hitContext === a.on && (a.note === undefined || a.note === s.hitNote) ? s
        : { ...s, hitContext: a.on, hitNote: a.note === undefined ? (a.on ? s.hitNote : null) : a.note };
    case "notice":
      return changed(s, "notice", a.text);
  }
}

/** The same state object when nothing changed, so that nothing is drawn again. */
function changed<K extends keyof TuiState>(s: TuiState, key: K, value: TuiState[K]): TuiState {
  return s[key] === value ? s : { ...s, [key]: value };
}
