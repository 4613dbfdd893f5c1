// Reads a session file without loading it: positioned reads through one handle, a line-offset index built on
// demand (or not at all for the newest lines: `tail` and `backwards` scan from the end), damaged lines kept visible.
import { completeEnd, scanBackwards } from "./backwardScanner.ts";
import { LineEntry, type Entry } from "./entry.ts";
import { LineIndex, type IndexProgress } from "./lineIndex.ts";
import { oneByOne, scanLineBatches, type ScanRange } from "./lineScanner.ts";
import { readExactly } from "./positionedRead.ts";
import type { ByteSource } from "./byteSource.ts";
import { openSessionSource } from "./sessionSource.ts";

export type { Entry } from "./entry.ts";

/** How many lines a seq lookup reads at once while stepping over damaged lines. */
const PROBE_LINES = 16;

export class SessionReader {
  readonly file: string;
  #fh: ByteSource;
  #index = new LineIndex();
  #indexed = false;
  #indexing: Promise<unknown> = Promise.resolve();

  private constructor(file: string, fh: ByteSource) {
    this.file = file;
    this.#fh = fh;
  }

  /** Opens the file, plain or compressed (rejects with ENOENT when it does not exist). The handle keeps reading the
   * same file even if it is renamed (sealed) meanwhile. */
  static async open(file: string): Promise<SessionReader> {
    return new SessionReader(file, await openSessionSource(file));
  }

  /** The bytes it reads (closed with the reader): a second pass over them, such as the rewind events', reads through it. */
  get source(): ByteSource {
    return this.#fh;
  }

  /** Complete lines indexed (0 until the index is built). */
  get count(): number {
    return this.#index.count;
  }

  /** Indexes the file's complete lines (those appended since, when called again). */
  async buildIndex(onProgress?: IndexProgress): Promise<void> {
    await this.#update(onProgress);
  }

  /**
   * Indexes the complete lines appended since the last call and returns how many there are. When the file shrank
   * (crash recovery cut a damaged last line) the index is rebuilt and the result is negative.
   */
  refresh(): Promise<number> {
    return this.#update();
  }

  /** Line `index` (0-based); builds the index first when needed. */
  async read(index: number): Promise<Entry> {
    const [entry] = await this.readRange(index, 1);
    if (!entry) throw new RangeError(`line ${index} is out of range (0..${this.count - 1})`);
    return entry;
  }

  /** Up to `n` lines from `start`, with one read. */
  async readRange(start: number, n: number): Promise<Entry[]> {
    await this.#ensureIndex();
    const first = Math.max(0, start);
    const stop = Math.min(this.#index.count, start + n);
    if (first >= stop) return [];
    const from = this.#index.startOf(first);
    const buf = Buffer.allocUnsafe(this.#index.startOf(stop) - from);
    await readExactly(this.#fh, buf, 0, buf.length, from);
    const out: Entry[] = [];
    for (let i = first; i < stop; i++) {
      const offset = this.#index.startOf(i);
      out.push(new LineEntry(i, offset, this.#index.lengthOf(i), buf, offset - from));
    }
    return out;
  }

  /** Index of the line holding record `seq`, or -1. Seq is +1 per line, so the first guess is usually right;
   * otherwise (damaged lines, copied history) a binary search. */
  async indexOfSeq(seq: number): Promise<number> {
    await this.#ensureIndex();
    const count = this.#index.count;
    const first = await this.#seqAtOrAfter(0, count - 1);
    if (!first) return -1;
    const guess = first.index + (seq - first.seq);
    if (guess >= 0 && guess < count) {
      const probe = await this.read(guess);
      if (probe.record?.seq === seq) return guess;
    }
    let lo = 0;
    let hi = count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = await this.#seqAtOrAfter(mid, hi);
      if (!at) hi = mid - 1;
      else if (at.seq === seq) return at.index;
      else if (at.seq < seq) lo = at.index + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Offset → line index (-1 beyond the indexed lines): maps entries from `tail`/`backwards` once the index exists. */
  indexOfOffset(offset: number): number {
    return this.#index.indexOfOffset(offset);
  }

  /** The last `n` complete lines (ending at or before offset `before`, a line boundary, when given), oldest first,
   * read backwards: no full index needed. Their `index` is -1 unless the index has been built. */
  async tail(n: number, before?: number): Promise<Entry[]> {
    const out: Entry[] = [];
    if (n <= 0) return out;
    for await (const entry of this.backwards(before)) {
      out.push(entry);
      if (out.length === n) break;
    }
    return out.reverse();
  }

  /** Complete lines from the newest (or the last ending at or before `before`) to the oldest, without a full index
   * (see `tail` for `index`). */
  async *backwards(before?: number): AsyncGenerator<Entry> {
    if (this.#indexed) await this.refresh();
    const { size } = await this.#fh.stat();
    const end = before === undefined || before >= size ? await completeEnd(this.#fh, size) : before;
    // the line ending at `end` is the one before the line starting there
    const last = !this.#indexed ? -1 : end === this.#index.end ? this.#index.count - 1 : this.#index.indexOfOffset(end) - 1;
    yield* scanBackwards(this.#fh, end, last < 0 ? -1 : last);
  }

  /** Complete lines from line `from` to the end of the file as it is while reading. */
  entries(from = 0): AsyncIterableIterator<Entry> {
    return oneByOne(this.#batchesFrom(from));
  }

  async close(): Promise<void> {
    await this.#fh.close();
  }

  /** Index updates run one at a time: two scans extending the index at once would add lines twice. */
  #update(onProgress?: IndexProgress): Promise<number> {
    const run = this.#indexing.then(async () => {
      const before = this.#index.count;
      const { size } = await this.#fh.stat();
      if (size < this.#index.end) this.#index.clear();
      await this.#index.extend(this.#fh, size, onProgress);
      this.#indexed = true;
      return this.#index.count - before;
    });
    this.#indexing = run.catch(() => {});
    return run;
  }

  async *#batchesFrom(from: number): AsyncGenerator<LineEntry[]> {
    if (from > 0) await this.#ensureIndex();
    if (from >= this.#index.count && from > 0) return;
    yield* scanLineBatches(this.#fh, { from: this.#index.startOf(from), to: Infinity, firstIndex: from });
  }

  async #ensureIndex(): Promise<void> {
    if (!this.#indexed) await this.buildIndex();
  }

  /** The first line in [from, to] that holds a record, with its seq. */
  async #seqAtOrAfter(from: number, to: number): Promise<{ index: number; seq: number } | null> {
    for (let i = from; i <= to; i += PROBE_LINES) {
      for (const e of await this.readRange(i, Math.min(PROBE_LINES, to - i + 1))) {
        if (e.record) return { index: e.index, seq: e.record.seq };
      }
    }
    return null;
  }
}

/**
 * Forward stream of the complete lines in the byte range [startOffset, endOffset) of a file, with no index:
 * checkpoint reads and search scans. `startOffset` must be a line start; `startIndex` is the line number there
 * (default 0 from the file's start, else -1 = unknown); `reuseBuffer` as ScanRange says. The file is opened on the
 * first `next()`.
 */
export function streamEntries(file: string, opts: StreamOptions = {}): AsyncIterableIterator<Entry> {
  return oneByOne(streamBatches(file, opts));
}

export interface StreamOptions {
  startOffset?: number;
  endOffset?: number;
  startIndex?: number;
  reuseBuffer?: boolean;
}

/** The same lines a chunk at a time (a batch per read), for a caller that goes through each without an await. */
export function streamBatches(file: string, opts: StreamOptions = {}): AsyncGenerator<LineEntry[]> {
  const from = opts.startOffset ?? 0;
  return batchesOf(file, { from, to: opts.endOffset ?? Infinity, firstIndex: opts.startIndex ?? (from === 0 ? 0 : -1), reuseBuffer: opts.reuseBuffer });
}

async function* batchesOf(file: string, range: ScanRange): AsyncGenerator<LineEntry[]> {
  const fh = await openSessionSource(file);
  try {
    yield* scanLineBatches(fh, range);
  } finally {
    await fh.close();
  }
}
