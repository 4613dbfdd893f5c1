// Which pane has the keys, which one stands in the viewer's place, and what lies over them (help, a message's
// detail), as a pure reducer. A pane is added here (id and title), in keys.ts (its key) and in App.tsx's `pane()`
// (drawing); it then has its tab, and its place in the viewer beside the checkpoint list.
export const PANE_TITLES = { checkpoints: "Checkpoints", messages: "Messages", search: "Search", diagnostics: "Diagnostics", analytics: "Analytics" } as const;
export type Pane = keyof typeof PANE_TITLES;
export const PANES = Object.keys(PANE_TITLES) as Pane[];

/** The panes shown in the viewer's place when the panes stand side by side: all but the checkpoint list. */
export type RightPane = Exclude<Pane, "checkpoints">;
export const RIGHT_PANES = PANES.filter((p): p is RightPane => p !== "checkpoints");

export interface AppState {
  /** The pane that takes the keys (and, on a narrow terminal, the one shown). */
  pane: Pane;
  /** What the viewer shows beside the checkpoint list: the last right-hand pane chosen. */
  right: RightPane;
  help: boolean;
  /** Index (in the open session) of the message whose detail is shown; it has the keys while open. */
  detail: number | null;
}

export type AppAction =
  | { type: "show"; pane: Pane }
  | { type: "cycle"; dir: 1 | -1 }
  | { type: "help"; open: boolean }
  | { type: "openDetail"; index: number }
  | { type: "closeDetail" };

export const initialApp: AppState = { pane: "messages", right: "messages", help: false, detail: null };

export function appReducer(s: AppState, a: AppAction): AppState {
  switch (a.type) {
    case "show":
      return { ...s, pane: a.pane, right: a.pane === "checkpoints" ? s.right : a.pane, detail: a.pane === "messages" ? s.detail : null };
    case "cycle": {
      const i = PANES.indexOf(s.pane);
      return appReducer({ ...s, detail: null }, { type: "show", pane: PANES[(i + a.dir + PANES.length) % PANES.length] });
    }
    case "help":
      return { ...s, help: a.open };
    case "openDetail":
      return { ...s, pane: "messages", right: "messages", detail: a.index };
    case "closeDetail":
      return { ...s, detail: null };
  }
}
