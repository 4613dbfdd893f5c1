// Reading untrusted JSON values of a transcript: a field of the wrong type is absent, never an error.

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A non-empty string, else undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * Sets `key` in a map that keeps at most `max` entries, dropping the oldest: what a parser remembers for later lines
 * (a tool call's name until its result comes) is needed only for a while, and a transcript may be long.
 */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, max = 10_000): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

export function objects(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}
