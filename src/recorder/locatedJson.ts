// A JSON parser that remembers where every value starts, so a rules file's problems can name their line and column
// (JSON.parse reports neither).

export interface Position {
  line: number;
  column: number;
}

export class JsonLocationError extends Error {
  constructor(readonly problem: string, readonly position: Position) {
    super(`line ${position.line}, column ${position.column}: ${problem}`);
  }
}

export interface LocatedJson {
  value: unknown;
  /** Where the value at `path` (object keys and array indices) starts; the nearest known parent otherwise. */
  positionOf(path: (string | number)[]): Position;
}

const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORDS: [string, unknown][] = [["true", true], ["false", false], ["null", null]];

export function parseLocatedJson(text: string): LocatedJson {
  let i = 0;
  const childOffsets = new WeakMap<object, Map<string | number, number>>();

  const positionAt = (offset: number): Position => {
    const before = text.slice(0, offset);
    const lastNewline = before.lastIndexOf("\n");
    return { line: before.split("\n").length, column: offset - lastNewline };
  };
  const fail = (problem: string): never => {
    throw new JsonLocationError(problem, positionAt(i));
  };
  const skipSpace = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const token = (re: RegExp, what: string): string => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) fail(what);
    i += m![0].length;
    return m![0];
  };
  const expect = (char: string, problem: string) => {
    skipSpace();
    if (text[i] !== char) fail(problem);
    i++;
  };

  const value = (): unknown => {
    skipSpace();
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return JSON.parse(token(STRING, "unterminated string or bad escape")) as string;
    if (c === "-" || (c >= "0" && c <= "9")) return Number(token(NUMBER, "bad number"));
    for (const [word, v] of WORDS) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail(c === undefined ? "unexpected end of file" : `unexpected character ${JSON.stringify(c)}`);
  };

  const object = (): Record<string, unknown> => {
    i++;
    const obj: Record<string, unknown> = {};
    const offsets = new Map<string | number, number>();
    childOffsets.set(obj, offsets);
    skipSpace();
    if (text[i] === "}") return i++, obj;
    for (;;) {
      skipSpace();
      if (text[i] !== '"') fail("expected a property name in double quotes");
      const key = JSON.parse(token(STRING, "unterminated string or bad escape")) as string;
      expect(":", `expected ':' after "${key}"`);
      skipSpace();
      offsets.set(key, i);
      Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[i] === "}") return i++, obj;
      if (text[i] !== ",") fail("expected ',' or '}'");
      i++;
    }
  };

  const array = (): unknown[] => {
    i++;
    const arr: unknown[] = [];
    const offsets = new Map<string | number, number>();
    childOffsets.set(arr, offsets);
    skipSpace();
    if (text[i] === "]") return i++, arr;
    for (;;) {
      skipSpace();
      offsets.set(arr.length, i);
      arr.push(value());
      skipSpace();
      if (text[i] === "]") return i++, arr;
      if (text[i] !== ",") fail("expected ',' or ']'");
      i++;
    }
  };

  skipSpace();
  const rootOffset = i;
  const root = value();
  skipSpace();
  if (i < text.length) fail("unexpected text after the end of the JSON value");

  return {
    value: root,
    positionOf(path) {
      let offset = rootOffset;
      let cur: unknown = root;
      for (const key of path) {
        const known = typeof cur === "object" && cur !== null ? childOffsets.get(cur)?.get(key) : undefined;
        if (known === undefined) break;
        offset = known;
        cur = (cur as Record<string | number, unknown>)[key];
      }
      return positionAt(offset);
    },
  };
}
