// Screen layout from the terminal size: the panes get what the title, tabs and status bar leave.
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;

export interface Layout {
  columns: number;
  rows: number;
  tooSmall: boolean;
  /** Rows for the pane (its own header line included) between the tab bar (and banner) and the status bar. */
  bodyRows: number;
}

/** Lines taken outside the pane: the tab bar, a banner when there is one, the status bar. */
export function layoutFor(columns: number, rows: number, banner: boolean): Layout {
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const chrome = 2 + (banner ? 1 : 0);
  return { columns, rows, tooSmall, bodyRows: Math.max(1, rows - chrome) };
}
