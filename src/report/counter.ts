// Counts per key in bounded memory: a report over a million messages with a million distinct topics must not keep
// a million keys. Past the limit, new keys are counted together under OTHER (existing keys keep counting).

export const OTHER = "(other)";
export const MAX_KEYS = 10_000;

export class Counter {
  readonly #counts = new Map<string, number>();

  constructor(private readonly maxKeys = MAX_KEYS) {}

  add(key: string, n = 1): void {
    const known = this.#counts.get(key);
    if (known !== undefined) this.#counts.set(key, known + n);
    else if (this.#counts.size < this.maxKeys) this.#counts.set(key, n);
    else this.#counts.set(OTHER, (this.#counts.get(OTHER) ?? 0) + n);
  }

  get(key: string): number {
    return this.#counts.get(key) ?? 0;
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
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  sorted(): [string, number][] {
    return [...this.#counts].sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : 1));
  }
}
