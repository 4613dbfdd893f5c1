// The message list's columns: time, from → to, tier, type, tags, text, each at a fixed width for a given row width
// with one blank column between neighbours, so that no two ever touch. Narrow rows give up tags and type first.
export interface RowColumns {
  time: number;
  who: number;
  tier: number;
  type: number;
  tags: number;
  text: number;
}

export const GAP = 1;
const TIME = 8; // 10:00:01
const TIER = 2; // T2
const TYPE = 9; // broadcast
/** Below this the text column would be too narrow to read: tags, then the type, make room. */
const MIN_TEXT = 16;

export function rowColumns(width: number): RowColumns {
  const who = Math.min(28, Math.max(10, Math.floor(width * 0.2)));
  let type = TYPE;
  let tags = Math.min(18, Math.max(6, Math.floor(width * 0.12)));
  const text = () => width - (TIME + who + TIER + 3 * GAP) - (type > 0 ? type + GAP : 0) - (tags > 0 ? tags + GAP : 0);
  if (text() < MIN_TEXT) tags = 0;
  if (text() < MIN_TEXT) type = 0;
  return { time: TIME, who, tier: TIER, type, tags, text: Math.max(0, text()) };
}
