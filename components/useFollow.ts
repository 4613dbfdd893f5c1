// The message list follows the open session: a new file starts the list over, a built index renumbers it (the
// place is kept counted from the end, the open detail too), new lines grow it. Done while rendering the new
// snapshot (React's "adjust state when a prop changes"), not in an effect: each batch of live data is then drawn in
// one frame instead of two. A jump to a search hit is made again once the session is indexed and holds that row.
import { useEffect, useRef, useState } from "react";
import type { ListAction } from "./state/listWindow.ts";
import type { TuiAction, TuiState } from "./state/tui.ts";
import type { ViewInfo } from "./store/tuiStore.ts";
import type { Latest } from "./useLatestReducer.ts";

export interface Follow {
  /** Jump to `index` now, and again once the index is built (rows before it are numbered only then). */
  jumpTo(index: number): void;
}

export function useFollow(view: ViewInfo | null, now: Latest<TuiState>, dispatch: (a: TuiAction) => void): Follow {
  const messages = (action: ListAction) => dispatch({ type: "list", list: "messages", action });
  const [followed, setFollowed] = useState<ViewInfo | null>(null);
  const pendingJump = useRef<number | null>(null);
  if (view && view !== followed) {
    setFollowed(view);
    if (view.generation !== followed?.generation) {
      // A jump still waiting was into the view before (whose rows were never renumbered): not into this one.
      pendingJump.current = null;
      messages({ type: "reset", total: view.total, followable: view.source.kind === "live" });
    } else if (view.rebased !== followed.rebased) {
      const { app, messages: list } = now.current;
      if (app.detail !== null) dispatch({ type: "app", action: { type: "openDetail", index: app.detail + view.total - list.total } });
      messages({ type: "rebase", total: view.total });
    } else {
      messages({ type: "grow", total: view.total });
    }
  }
  useEffect(() => {
    if (pendingJump.current !== null && view?.indexed && pendingJump.current < view.total) {
      messages({ type: "jump", index: pendingJump.current });
      pendingJump.current = null;
    }
  }, [view?.total, view?.indexed]);
  return {
    jumpTo(index) {
      pendingJump.current = index;
      messages({ type: "jump", index });
    },
  };
}
