// The text of one member of a JSON object exactly as it stands in a line, found by walking the object's top-level
// members (strings skipped whole, nesting counted). Copying a record (load) takes its payload's text this way
// rather than through JSON.parse and JSON.stringify, which would turn 12345678901234567890 into
// 12345678901234567000, 1e400 into null and -0 into 0, and keep only the last of duplicate keys.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * The value text of `key` in the JSON object `json` (valid JSON: a line that parsed), or undefined when the object
 * has no such member. Of duplicate keys the last wins, as JSON.parse has it.
 */
export function memberText(json: string, key: string): string | undefined {
  let i = skipSpace(json, 0);
  if (json[i] !== "{") return undefined;
  let found: string | undefined;
  for (i = skipSpace(json, i + 1); json.charCodeAt(i) === QUOTE; ) {
    const keyEnd = stringEnd(json, i);
    const name = JSON.parse(json.slice(i, keyEnd)) as string;
    i = skipSpace(json, keyEnd);
    if (json.charCodeAt(i) !== COLON) return undefined;
    const start = skipSpace(json, i + 1);
    const end = valueEnd(json, start);
    if (name === key) found = json.slice(start, end);
    i = skipSpace(json, end);
    if (json.charCodeAt(i) !== COMMA) break;
    i = skipSpace(json, i + 1);
  }
  return found;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s[i] === " " || s[i] === "\t" || s[i] === "\n" || s[i] === "\r")) i++;
  return i;
}

/** `s[i]` is an opening quote: the index just after its closing one. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; ; ) {
    const q = s.indexOf('"', j);
    if (q === -1) throw new Error("unterminated string");
    let backslashes = 0;
    while (s.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** The index just after the value starting at `i`. */
function valueEnd(s: string, i: number): number {
  const c = s[i];
  if (c === '"') return stringEnd(s, i);
  if (c !== "{" && c !== "[") {
    let j = i;
    while (j < s.length && !",}] \t\n\r".includes(s[j])) j++;
    return j;
  }
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const d = s[j];
    if (d === '"') j = stringEnd(s, j) - 1;
    else if (d === "{" || d === "[") depth++;
    else if ((d === "}" || d === "]") && --depth === 0) return j + 1;
  }
  throw new Error("unterminated value");
}
