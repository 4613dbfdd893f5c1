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
 * A map that keeps only what was set recently: what a parser remembers for later lines (a tool call's name until its
 * result comes, a response's tokens so far) is needed only for a while, and a transcript may be long. Entries live in
 * two generations of `max` each; when the newer fills up, the older is dropped whole. (Dropping the oldest entry one
 * at a time costs more: a Map's iterator walks over every deleted slot before it reaches the first live one.)
 */
export class RecentMap<K, V> {
  #newer = new Map<K, V>();
  #older = new Map<K, V>();

  constructor(private readonly max = 10_000) {}

  get(key: K): V | undefined {
    return this.#newer.get(key) ?? this.#older.get(key);
  }

  set(key: K, value: V): void {
    this.#newer.set(key, value);
    if (this.#newer.size >= this.max) {
      this.#older = this.#newer;
      this.#newer = new Map();
    }
  }
}

export function objects(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}
