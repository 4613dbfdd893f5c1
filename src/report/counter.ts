// Counts per key in bounded memory: a report over a million messages with a million distinct topics must not keep
// a million keys. Past the limit, new keys are counted together under OTHER (existing keys keep counting).

export const OTHER = "(other)";
export const MAX_KEYS = 10_000;

/** A key's count in a box of its own: a key seen again costs one look-up, not a look-up and a store. */
interface Tally {
  n: number;
}

export class Counter {
  readonly #counts = new Map<string, Tally>();

  constructor(private readonly maxKeys = MAX_KEYS) {}

  add(key: string, n = 1): void {
    const known = this.#counts.get(key);
    if (known !== undefined) known.n += n;
    else if (this.#counts.size < this.maxKeys) this.#counts.set(key, { n });
    else {
      const other = this.#counts.get(OTHER);
      if (other) other.n += n;
      else this.#counts.set(OTHER, { n }); // the one key past the limit
    }
  }

  get(key: string): number {
    return this.#counts.get(key)?.n ?? 0;
  }

  keys(): string[] {
    return [...this.#counts.keys()];
  }

  /** Largest first (ties by key), as a plain object: JSON keeps the order. */
  toObject(): Record<string, number> {
    return Object.fromEntries(this.sorted());
  }

  /** Keys in their natural order (hours, tiers), as a plain object. */
  toObjectByKey(): Record<string, number> {
    return Object.fromEntries(this.#entries().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  sorted(): [string, number][] {
    return this.#entries().sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : 1));
  }

  #entries(): [string, number][] {
    return [...this.#counts].map(([key, t]) => [key, t.n]);
  }
}
