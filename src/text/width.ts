// Fitting text to terminal columns: wide characters (CJK, emoji) take two.
import stringWidth from "string-width";

/** `text` cut to at most `width` columns, ending with `…` when something was cut. */
export function clipToWidth(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = stringWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}
