// Percentiles of a stream in bounded memory: every value is kept up to a capacity, so the figures are exact on any
// sample that fits (every test, most agent pairs); beyond it a uniform reservoir (Vitter's algorithm R) stands for
// the whole stream. A fixed seed keeps a report of the same data the same.

/** Values kept exactly before sampling starts. */
export const SAMPLE_CAPACITY = 4096;

export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
  mean: number;
  n: number;
}

export class Sample {
  #values: number[] = [];
  #n = 0;
  #sum = 0;
  #max = -Infinity;
  #seed = 0x9e3779b9;

  constructor(private readonly capacity = SAMPLE_CAPACITY) {}

  get n(): number {
    return this.#n;
  }

  add(value: number): void {
    this.#n++;
    this.#sum += value;
    if (value > this.#max) this.#max = value;
    if (this.#values.length < this.capacity) {
      this.#values.push(value);
      return;
    }
    const slot = this.#random() % this.#n;
    if (slot < this.capacity) this.#values[slot] = value;
  }

  /** Nearest-rank percentiles (the smallest value with at least p of the values at or below it). */
  percentiles(): Percentiles {
    if (this.#n === 0) return { p50: 0, p95: 0, max: 0, mean: 0, n: 0 };
    const sorted = [...this.#values].sort((a, b) => a - b);
    const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
    return { p50: rank(0.5), p95: rank(0.95), max: this.#max, mean: round(this.#sum / this.#n), n: this.#n };
  }

  /** xorshift32: deterministic and cheap. */
  #random(): number {
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x >>> 0;
    return this.#seed;
  }
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
