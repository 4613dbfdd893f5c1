// Forward scan of complete lines in a byte range of an open file: large positioned reads, newlines found with
// Buffer.indexOf. A line cut by the end of the range (a partial last line) is not complete and is not yielded.
import type { ByteSource } from "./byteSource.ts";
import { LineEntry } from "./entry.ts";

const NL = 0x0a;
/** Read size. A full chunk is handed to its entries (they keep a view of it until they decode their text), so the
 * next read takes a fresh buffer. */
const CHUNK_BYTES = 1 << 20;

export interface ScanRange {
  /** First byte to read; must be the start of a line. */
  from: number;
  /** End of the range (exclusive); Infinity reads to the end of the file as it is while reading. */
  to: number;
  /** Line number of the line at `from` (-1 when unknown: every entry then has index -1). */
  firstIndex: number;
  /** Read size (default CHUNK_BYTES; small values exercise chunk boundaries in tests). */
  chunkBytes?: number;
  /**
   * The caller is done with a batch's entries (their text decoded, or dropped) before it asks for the next batch, so
   * one read buffer serves the whole scan: a report over a large session then leaves no chunk behind for the GC.
   */
  reuseBuffer?: boolean;
}

/** The complete lines of each chunk read, as one batch: callers iterate batches without an await per line. */
export async function* scanLineBatches(fh: ByteSource, { from, to, firstIndex, chunkBytes = CHUNK_BYTES, reuseBuffer = false }: ScanRange): AsyncGenerator<LineEntry[]> {
  let index = firstIndex;
  let pos = from; // file offset of buf[0]
  let carry: Buffer | null = null; // an unfinished line from the previous chunk
  let spare: Buffer | null = null; // a read buffer no entry points into
  while (pos + (carry?.length ?? 0) < to) {
    const kept: number = carry?.length ?? 0;
    const size = Math.max(chunkBytes, kept * 2);
    const buf: Buffer = spare && spare.length >= size ? spare : Buffer.allocUnsafeSlow(size);
    spare = null;
    if (carry) carry.copy(buf, 0); // may be the same buffer: copy moves overlapping bytes correctly
    const want = Math.min(size - kept, to - pos - kept);
    const { bytesRead } = await fh.read(buf, kept, want, pos + kept);
    if (bytesRead === 0) return; // end of file: whatever is carried is a partial line
    // Entries keep their chunk alive until they decode their text: a short read (following a growing file) is copied
    // out, so a few appended lines never pin a whole chunk, and the read buffer is used again.
    const short: boolean = kept + bytesRead < size / 2;
    const filled: Buffer = short ? Buffer.from(buf.subarray(0, kept + bytesRead)) : buf.subarray(0, kept + bytesRead);
    if (short) spare = buf;
    const batch: LineEntry[] = [];
    let start = 0;
    let nl = filled.indexOf(NL, kept);
    while (nl !== -1) {
      batch.push(new LineEntry(index, pos + start, nl - start, filled, start));
      if (index >= 0) index++;
      start = nl + 1;
      nl = filled.indexOf(NL, start);
    }
    if (batch.length > 0) yield batch;
    if (reuseBuffer && !short) spare = buf;
    carry = start < filled.length ? filled.subarray(start) : null;
    pos += start;
  }
}

/** The complete lines one by one. */
export function scanLines(fh: ByteSource, range: ScanRange): AsyncIterableIterator<LineEntry> {
  return oneByOne(scanLineBatches(fh, range));
}

/**
 * Items of batches one at a time. A hand-written iterator: an async generator doing `yield* batch` costs extra
 * promise turns per item, which halves the speed of a scan.
 */
export function oneByOne<T>(batches: AsyncIterator<T[]>): AsyncIterableIterator<T> {
  let batch: T[] = [];
  let i = 0;
  const it: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => it,
    async next(): Promise<IteratorResult<T>> {
      while (i >= batch.length) {
        const r = await batches.next();
        if (r.done) return { done: true, value: undefined };
        batch = r.value;
        i = 0;
      }
      return { done: false, value: batch[i++] };
    },
    async return(): Promise<IteratorResult<T>> {
      await batches.return?.();
      return { done: true, value: undefined };
    },
  };
  return it;
}
