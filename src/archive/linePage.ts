// What both backends' line reads share beyond their SQL dialects: which order a selection is read in, and the
// stretch of it asked for (the same LIMIT / OFFSET words in PostgreSQL and SQLite).
import type { LineSelection } from "./archiveStore.ts";

/** A selection bounded by ids is read in the order stored; else a session's by seq, every source's by time. */
export function lineOrder(sel: LineSelection): "id" | "seq" | "time" {
  if (sel.afterId !== undefined || sel.upToId !== undefined) return "id";
  return sel.session !== undefined ? "seq" : "time";
}

/** ` LIMIT n [OFFSET m]` for `tail` (read newest first, so skipping passes over the newest) or `limit`. */
export function pageClause(sel: LineSelection): string {
  const count = sel.tail ?? sel.limit;
  if (count === undefined) return "";
  const skip = sel.tail !== undefined && sel.skip ? ` OFFSET ${whole(sel.skip)}` : "";
  return ` LIMIT ${whole(count)}${skip}`;
}

function whole(n: number): number {
  return Math.max(0, Math.floor(n));
}
