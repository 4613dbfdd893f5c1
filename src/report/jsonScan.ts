// Walking a JSON text without building it: where a value starts and ends, so a reader can decode only the few
// values it needs and pass over the rest (a message's text is most of its line). Strings are passed over with
// indexOf, not a character at a time. Brackets and quotes are matched; what the passed-over values hold is not
// checked.

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function skipSpace(s: string, i: number): number {
  while (isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Characters of a string looked at one by one before an indexOf: keys and names end sooner than a call returns. */
const SHORT = 24;

/** The position after the closing quote of the string whose opening quote is at `i`, or -1. */
export function stringEnd(s: string, i: number): number {
  const near = Math.min(s.length, i + 1 + SHORT);
  let j = i + 1;
  for (; j < near; j++) {
    const c = s.charCodeAt(j);
    if (c === QUOTE) return j + 1;
    if (c === BACKSLASH) break;
  }
  let from = j;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q < 0) return -1;
    let b = q - 1;
    while (s.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1; // an even run of backslashes escapes itself, not the quote
    from = q + 1;
  }
}

/** The position after the value starting at `i` (no space before it), or -1 when it is cut short. */
export function valueEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return stringEnd(s, i);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) return containerEnd(s, i);
  let j = i;
  for (;;) {
    const d = s.charCodeAt(j);
    if (d !== d || d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d === COLON || isSpace(d) || d === QUOTE) break; // d !== d: past the end
    j++;
  }
  return j > i ? j : -1;
}

function containerEnd(s: string, i: number): number {
  let depth = 0;
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(s, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (--depth === 0) return i + 1;
    } else if (c !== c) return -1;
    i++;
  }
}

/** Visits the elements of the array starting at `i` (start and end of each); false when it is not an array. */
export function visitArray(s: string, i: number, visit: (start: number, end: number) => void): boolean {
  if (s.charCodeAt(i) !== OPEN_ARRAY) return false;
  i = skipSpace(s, i + 1);
  if (s.charCodeAt(i) === CLOSE_ARRAY) return true;
  for (;;) {
    const end = valueEnd(s, i);
    if (end < 0) return false;
    visit(i, end);
    i = skipSpace(s, end);
    const c = s.charCodeAt(i);
    if (c === CLOSE_ARRAY) return true;
    if (c !== COMMA) return false;
    i = skipSpace(s, i + 1);
  }
}

/**
 * Which of `keys` a key is: `find(s, keyStart, keyEnd)` gives the key's position in `keys`, or -1. Keys are told
 * apart by their length and first letter before one comparison, so most keys of a message cost no comparison.
 */
export function keyFinder(keys: readonly string[]): (s: string, keyStart: number, keyEnd: number) => number {
  const table: (string | undefined)[] = [];
  const index: number[] = [];
  const slotOf = (length: number, first: number) => length * 128 + (first & 127);
  keys.forEach((key, i) => {
    const quoted = JSON.stringify(key);
    const slot = slotOf(quoted.length, quoted.charCodeAt(1));
    if (table[slot] !== undefined) throw new Error(`keys ${table[slot]} and ${quoted} share a length and first letter`);
    table[slot] = quoted;
    index[slot] = i;
  });
  return (s, keyStart, keyEnd) => {
    const slot = slotOf(keyEnd - keyStart, s.charCodeAt(keyStart + 1));
    const quoted = table[slot];
    return quoted !== undefined && s.startsWith(quoted, keyStart) ? index[slot] : -1;
  };
}

/**
 * The value between `start` and `end` as the text a report keys by: a string's content, a number or literal as
 * written (`3`, `true`), an object or array as its JSON text; undefined for null and when absent (start < 0).
 */
export function scalarText(s: string, start: number, end: number): string | undefined {
  if (start < 0) return undefined;
  if (s.charCodeAt(start) === QUOTE) {
    const inner = s.slice(start + 1, end - 1);
    return inner.includes("\\") ? (JSON.parse(s.slice(start, end)) as string) : inner;
  }
  const text = s.slice(start, end);
  if (text === "null") return undefined;
  const c = text.charCodeAt(0);
  return c === 0x2d || (c >= 0x30 && c <= 0x39) ? String(Number(text)) : text; // 1e3 keys as 1000, as String(value) does
}

/** Whether the value from `start` is the string `text` (without decoding it, unless it has escapes). */
export function stringIs(s: string, start: number, end: number, text: string): boolean {
  if (!isString(s, start)) return false;
  if (end - start === text.length + 2 && s.startsWith(text, start + 1)) return true;
  const escape = s.indexOf("\\", start);
  return escape >= 0 && escape < end && scalarText(s, start, end) === text;
}

export function isString(s: string, start: number): boolean {
  return start >= 0 && s.charCodeAt(start) === QUOTE;
}
