// Pretty JSON as foldable lines for the detail view: each object or array can be collapsed to one line.
// Strings are passed through `clean` (terminal sanitizing) before they become screen text.
export interface JsonLine {
  depth: number;
  text: string;
  /** Path of the object/array that starts on this line (fold target); absent for plain lines. */
  fold?: string;
  folded?: boolean;
}

export function jsonLines(value: unknown, collapsed: ReadonlySet<string>, clean: (s: string) => string): JsonLine[] {
  const out: JsonLine[] = [];
  const walk = (v: unknown, path: string, depth: number, prefix: string, comma: string) => {
    if (v !== null && typeof v === "object") {
      const isArray = Array.isArray(v);
      const entries = isArray ? (v as unknown[]).map((x, i) => [String(i), x] as const) : Object.entries(v as object);
      const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
      if (entries.length === 0) {
        out.push({ depth, text: `${prefix}${open}${close}${comma}` });
        return;
      }
      if (collapsed.has(path)) {
        const what = isArray ? `${entries.length} items` : `${entries.length} keys`;
        out.push({ depth, text: `${prefix}${open} … ${what} ${close}${comma}`, fold: path, folded: true });
        return;
      }
      out.push({ depth, text: `${prefix}${open}`, fold: path, folded: false });
      entries.forEach(([k, x], i) => {
        const keyPrefix = isArray ? "" : `${clean(JSON.stringify(k))}: `;
        walk(x, `${path}/${k}`, depth + 1, keyPrefix, i < entries.length - 1 ? "," : "");
      });
      out.push({ depth, text: `${close}${comma}` });
      return;
    }
    out.push({ depth, text: `${prefix}${clean(v === undefined ? "undefined" : JSON.stringify(v))}${comma}` });
  };
  walk(value, "", 0, "", "");
  return out;
}

/** Collapse or expand the object/array that starts on a line (or the nearest one above it). */
export function toggleFold(lines: JsonLine[], at: number, collapsed: ReadonlySet<string>): Set<string> {
  for (let i = Math.min(at, lines.length - 1); i >= 0; i--) {
    const path = lines[i].fold;
    if (path !== undefined) return toggledOne(collapsed, path);
  }
  return new Set(collapsed);
}

/** The set with `key` taken out when it is in, put in when it is not. */
export function toggledOne(set: ReadonlySet<string>, key: string): Set<string> {
  const next = new Set(set);
  if (next.has(key)) next.delete(key);
  else next.add(key);
  return next;
}
