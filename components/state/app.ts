// Which pane is shown and what lies over it (help, message detail), as a pure reducer.
export const PANES = ["checkpoints", "messages", "search", "diagnostics"] as const;
export type Pane = (typeof PANES)[number];

export interface AppState {
  pane: Pane;
  help: boolean;
  /** Index (in the open session) of the message whose detail is shown over the Messages pane. */
  detail: number | null;
}

export type AppAction =
  | { type: "show"; pane: Pane }
  | { type: "cycle"; dir: 1 | -1 }
  | { type: "help"; open: boolean }
  | { type: "openDetail"; index: number }
  | { type: "closeDetail" };

export const initialApp: AppState = { pane: "checkpoints", help: false, detail: null };

export function appReducer(s: AppState, a: AppAction): AppState {
  switch (a.type) {
    case "show":
      return { ...s, pane: a.pane, detail: a.pane === "messages" ? s.detail : null };
    case "cycle": {
      const i = PANES.indexOf(s.pane);
      return { ...s, pane: PANES[(i + a.dir + PANES.length) % PANES.length], detail: null };
    }
    case "help":
      return { ...s, help: a.open };
    case "openDetail":
      return { ...s, pane: "messages", detail: a.index };
    case "closeDetail":
      return { ...s, detail: null };
  }
}
