// Columns of plain text for command output: a header, each column as wide as its widest cell, numbers aligned on
// the right. Cells come from files (labels, ids): each is made safe for a terminal before it is measured.
import stringWidth from "string-width";
import { sanitizeForTerminal } from "../text/sanitize.ts";

export interface Column {
  title: string;
  right?: boolean;
}

const GAP = "  ";

/** The table's lines, each ending in a newline; the last column is not padded. */
export function formatTable(columns: Column[], rows: string[][]): string {
  const cells = [columns.map((c) => c.title), ...rows.map((r) => r.map((cell) => sanitizeForTerminal(cell)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => stringWidth(r[i] ?? ""))));
  const pad = (text: string, i: number) => {
    const room = " ".repeat(widths[i] - stringWidth(text));
    return columns[i].right ? room + text : i === columns.length - 1 ? text : text + room;
  };
  return cells.map((r) => `${columns.map((_, i) => pad(r[i] ?? "", i)).join(GAP).trimEnd()}\n`).join("");
}
