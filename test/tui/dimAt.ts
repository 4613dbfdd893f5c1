// Reading styles from a frame drawn with them (forceColor.ts): whether a text is drawn dimmed.
import { stripVTControlCharacters } from "node:util";

/** Whether the first `text` of a styled line is drawn dim: SGR 2 set, not reset (22, 0) since. */
export function dimAt(line: string, text: string): boolean {
  const at = stripVTControlCharacters(line).indexOf(text);
  let dim = false;
  let plain = 0;
  for (const m of line.matchAll(/\u001b\[([\d;]*)m|[^\u001b]/gu)) {
    if (m[1] === undefined) {
      if (plain++ === at) return dim;
      continue;
    }
    for (const code of m[1].split(";")) {
      if (code === "2") dim = true;
      else if (code === "22" || code === "0" || code === "") dim = false;
    }
  }
  return dim;
}
