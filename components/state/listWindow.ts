// A virtual list as a pure reducer: which row is selected and which slice is on screen. Ink has no scroll
// container, so a pane draws only rows [top, top + height). `follow` keeps the newest row in view (the live
// tail); moving away stops it and counts the rows that arrived since (`unseen`).
export interface ListWindow {
  total: number;
  cursor: number;
  top: number;
  height: number;
  followable: boolean;
  follow: boolean;
  unseen: number;
}

export type ListAction =
  | { type: "move"; delta: number }
  | { type: "page"; dir: 1 | -1 }
  | { type: "home" }
  | { type: "end" }
  | { type: "jump"; index: number }
  | { type: "resize"; height: number }
  | { type: "grow"; total: number }
  | { type: "rebase"; total: number }
  | { type: "reset"; total: number; followable: boolean; cursor?: number }
  | { type: "toggleFollow" };

export function initialWindow(total = 0, height = 1, followable = false): ListWindow {
  return settle({ total, cursor: Math.max(0, total - 1), top: 0, height, followable, follow: followable, unseen: 0 });
}

export function listReducer(s: ListWindow, a: ListAction): ListWindow {
  switch (a.type) {
    case "move":
      return settle({ ...s, cursor: s.cursor + a.delta, follow: a.delta < 0 ? false : s.follow });
    case "page":
      return listReducer(s, { type: "move", delta: a.dir * Math.max(1, s.height - 1) });
    case "home":
      return settle({ ...s, cursor: 0, follow: false });
    case "end":
      return settle({ ...s, cursor: s.total - 1, follow: s.followable, unseen: 0 });
    case "jump":
      return settle({ ...s, cursor: a.index, follow: false, top: a.index - Math.floor(s.height / 2) });
    case "resize":
      return settle({ ...s, height: Math.max(1, a.height) });
    case "grow": {
      if (a.total <= s.total) return a.total === s.total ? s : settle({ ...s, total: a.total });
      if (s.follow) return settle({ ...s, total: a.total, cursor: a.total - 1, unseen: 0 });
      return { ...s, total: a.total, unseen: s.followable ? s.unseen + (a.total - s.total) : 0 };
    }
    case "rebase": {
      // The same last rows, now numbered from the start of a bigger list (the index was built).
      const shift = a.total - s.total;
      return settle({ ...s, total: a.total, cursor: s.cursor + shift, top: s.top + shift });
    }
    case "reset":
      return initialWindowAt(a.total, s.height, a.followable, a.cursor);
    case "toggleFollow":
      if (!s.followable) return s;
      return s.follow ? { ...s, follow: false } : listReducer(s, { type: "end" });
  }
}

function initialWindowAt(total: number, height: number, followable: boolean, cursor?: number): ListWindow {
  if (cursor === undefined) return initialWindow(total, height, followable);
  return listReducer({ ...initialWindow(total, height, followable), follow: false }, { type: "jump", index: cursor });
}

/** Clamp the cursor, then scroll the least needed to keep it visible; in follow mode the last page is shown. */
function settle(s: ListWindow): ListWindow {
  const last = Math.max(0, s.total - 1);
  const cursor = Math.min(Math.max(0, s.cursor), last);
  let top = s.top;
  if (s.follow) top = s.total - s.height;
  if (cursor < top) top = cursor;
  if (cursor >= top + s.height) top = cursor - s.height + 1;
  top = Math.max(0, Math.min(top, Math.max(0, s.total - s.height)));
  return { ...s, cursor, top };
}

/** The indices to draw. */
export function visibleRange(s: ListWindow): { start: number; end: number } {
  return { start: s.top, end: Math.min(s.total, s.top + s.height) };
}
