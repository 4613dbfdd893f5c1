// fdatasync latency over the last minute, for the status file (p50 / p99 in milliseconds).
const WINDOW_MS = 60_000;
const MAX_SAMPLES = 20_000;

export class SyncLatency {
  private samples: { at: number; ms: number }[] = [];
  /** Samples ever added. */
  count = 0;

  add(ms: number, at = Date.now()): void {
    this.count++;
    this.samples.push({ at, ms });
    if (this.samples.length > MAX_SAMPLES * 2) this.samples = this.samples.slice(-MAX_SAMPLES);
  }

  percentiles(now = Date.now()): { p50: number; p99: number } {
    const first = this.samples.findIndex((s) => now - s.at <= WINDOW_MS);
    this.samples = first === -1 ? [] : this.samples.slice(first);
    const sorted = this.samples.map((s) => s.ms).sort((a, b) => a - b);
    const at = (q: number) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]) : 0);
    return { p50: at(0.5), p99: at(0.99) };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
