// JSON for a terminal as well as for a program: JSON.stringify already writes C0 controls as escapes, but leaves
// DEL, C1 controls, bidi controls and the Unicode line separators raw, and a terminal acts on those (CSI is U+009B).
// Written as \uXXXX instead, the text is still valid JSON and parses back to the same value.
import { UNSAFE_BEYOND_C0 } from "./sanitize.ts";

// Outside strings, JSON text holds only ASCII punctuation, digits, letters and whitespace, so every match is inside
// a string, where \uXXXX means the same character.
const UNSAFE_IN_JSON = new RegExp(`[${UNSAFE_BEYOND_C0}]`, "g");

const escaped = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** A JSON text (one written by JSON.stringify, or a record line as stored) with those characters escaped. */
export function escapeJsonForTerminal(json: string): string {
  UNSAFE_IN_JSON.lastIndex = 0;
  return UNSAFE_IN_JSON.test(json) ? json.replace(UNSAFE_IN_JSON, escaped) : json;
}

/** `JSON.stringify(value, null, indent)`, safe to print on a terminal. The one way --json output is written. */
export function terminalJson(value: unknown, indent?: number): string {
  return escapeJsonForTerminal(JSON.stringify(value, null, indent));
}
