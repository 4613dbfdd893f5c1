// The most recently seen keys of a stream (chain ids, request ids), each with a numbered slot its owner keeps figures
// in (typed arrays: no object per key, so nothing the garbage collector must move or sweep per message). Keys go in
// two generations: when the newer holds half the capacity, every key of the older one not seen since is let go
// (`onEvict`) at once, and the newer becomes the older. So the last `capacity / 2` distinct keys are always held, never
// more than `capacity`, and a key seen again costs one or two look-ups, not a reordering.

export class RecentSlots {
  #recent = new Map<string, number>();
  #older = new Map<string, number>();
  readonly #free: number[] = [];
  #unused = 0;

  constructor(
    readonly capacity: number,
    private readonly onEvict: (slot: number, key: string) => void,
  ) {}

  /** The slot of `key` (now counted as seen), or -1. */
  find(key: string): number {
    const slot = this.#recent.get(key);
    if (slot !== undefined) return slot;
    const old = this.#older.get(key);
    if (old === undefined) return -1;
    this.#older.delete(key);
    this.#recent.set(key, old);
    return old;
  }

  /** A slot for a key not held (find gave -1); the caller fills it. */
  add(key: string): number {
    if (this.#recent.size >= this.capacity / 2) this.#nextGeneration();
    const slot = this.#free.pop() ?? this.#unused++;
    this.#recent.set(key, slot);
    return slot;
  }

  /** Lets every key go, oldest first (a report's end). */
  evictAll(): void {
    this.#nextGeneration();
    this.#nextGeneration();
  }

  #nextGeneration(): void {
    for (const [key, slot] of this.#older) {
      this.onEvict(slot, key);
      this.#free.push(slot);
    }
    this.#older = this.#recent;
    this.#recent = new Map();
  }
}
