// Screen layout from the terminal size. Narrow terminals show one pane at a time under tabs; from SPLIT_COLUMNS on,
// the checkpoint list (and a message's detail below it) stands at the left, beside the message viewer, whose place
// search, diagnostics and the other right-hand panes take. Drawing and the mouse read the same regions.
import { RIGHT_PANES, type AppState, type Pane } from "./state/app.ts";

export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;
/** From this width on the panes stand side by side. */
export const SPLIT_COLUMNS = 120;

/** The separator between the left column and the viewer. */
export const SEPARATOR_COLUMNS = 1;

export interface Layout {
  columns: number;
  rows: number;
  tooSmall: boolean;
  split: boolean;
  /** Screen row where the panes begin (below the tab bar and a banner). */
  bodyTop: number;
  /** Rows for the panes (their header lines included) between the top lines and the status bar. */
  bodyRows: number;
  /** Width of the left column (split) or of the one pane shown. */
  leftColumns: number;
  /** Width of the viewer (split); the whole width otherwise. */
  rightColumns: number;
}

/** Lines taken outside the panes: the tab bar, a banner when there is one, the status bar. */
export function layoutFor(columns: number, rows: number, banner: boolean): Layout {
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const bodyTop = 1 + (banner ? 1 : 0);
  const bodyRows = Math.max(1, rows - bodyTop - 1);
  const split = !tooSmall && columns >= SPLIT_COLUMNS;
  const leftColumns = split ? Math.min(72, Math.max(40, Math.round(columns * 0.36))) : columns;
  const rightColumns = split ? columns - leftColumns - SEPARATOR_COLUMNS : columns;
  return { columns, rows, tooSmall, split, bodyTop, bodyRows, leftColumns, rightColumns };
}

/** What a region of the screen shows: a pane, or the detail of the open message. */
export type RegionId = Pane | "detail";

export interface Region {
  id: RegionId;
  x: number;
  y: number;
  width: number;
  /** Rows, header included. */
  height: number;
  /** Rows above the first list row (the header; the search box has its status line too). */
  head: number;
}

/** Where each visible pane is drawn. `checkpointRows` is how many rows the checkpoint list holds. */
export function regionsOf(layout: Layout, app: AppState, checkpointRows: number): Region[] {
  const { bodyTop: y, bodyRows } = layout;
  const detailOpen = app.detail !== null;
  const region = (id: RegionId, x: number, top: number, width: number, height: number): Region => ({ id, x, y: top, width, height, head: id === "search" ? 2 : 1 });
  if (!layout.split) {
    const id: RegionId = app.pane === "messages" && detailOpen ? "detail" : app.pane;
    return [region(id, 0, y, layout.columns, bodyRows)];
  }
  const viewer = region(app.right, layout.leftColumns + SEPARATOR_COLUMNS, y, layout.rightColumns, bodyRows);
  if (!detailOpen) return [region("checkpoints", 0, y, layout.leftColumns, bodyRows), viewer];
  // The list keeps the rows it needs (up to a third), the detail below it gets the rest.
  const listRows = Math.max(3, Math.min(checkpointRows + 1, Math.floor(bodyRows / 3)));
  return [
    region("checkpoints", 0, y, layout.leftColumns, listRows),
    region("detail", 0, y + listRows, layout.leftColumns, bodyRows - listRows),
    viewer,
  ];
}

/** The rows each list has on screen (panes not shown keep the size they would have). */
export function listHeights(layout: Layout, app: AppState, checkpointRows: number): Record<RegionId, number> {
  const regions = regionsOf(layout, app, checkpointRows);
  const full = layout.bodyRows;
  const out = {} as Record<RegionId, number>;
  for (const id of [...RIGHT_PANES, "checkpoints", "detail"] as RegionId[]) {
    const r = regions.find((x) => x.id === id);
    out[id] = Math.max(1, (r?.height ?? full) - (r?.head ?? (id === "search" ? 2 : 1)));
  }
  return out;
}

/** The region under a screen cell (0-based column and row), if any. */
export function regionAt(regions: Region[], x: number, y: number): Region | undefined {
  return regions.find((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
}
