// Line-offset index of a session file, built by scanning for newlines: 8 bytes per line (the offset just past each
// line's newline, in fixed-size Float64Array blocks that never need copying). Incremental: `extend` continues from
// the end of the last complete line. Never holds more of the file than one read buffer.
import type { ByteSource } from "./byteSource.ts";

const NL = 0x0a;
const BLOCK_SHIFT = 16;
const BLOCK_LINES = 1 << BLOCK_SHIFT; // 65,536 lines (512 KiB) per block
const READ_BYTES = 4 << 20;

export type IndexProgress = (bytesDone: number, bytesTotal: number) => void;

export class LineIndex {
  #blocks: Float64Array[] = [];
  #count = 0;
  #buf: Buffer | null = null;
  #readBytes: number;

  /** `readBytes`: the read buffer's size (small values exercise chunk boundaries in tests). */
  constructor({ readBytes = READ_BYTES } = {}) {
    this.#readBytes = readBytes;
  }

  /** Complete lines indexed. */
  get count(): number {
    return this.#count;
  }

  /** Offset just past the last indexed line: where the next scan starts. */
  get end(): number {
    return this.#count === 0 ? 0 : this.#endOf(this.#count - 1);
  }

  /** Byte offset where line `i` starts. */
  startOf(i: number): number {
    return i === 0 ? 0 : this.#endOf(i - 1);
  }

  /** Byte length of line `i` without its newline. */
  lengthOf(i: number): number {
    return this.#endOf(i) - 1 - this.startOf(i);
  }

  /** Index of the line starting at or containing `offset`, or -1 when it lies beyond the indexed lines. */
  indexOfOffset(offset: number): number {
    if (offset < 0 || offset >= this.end) return -1;
    let lo = 0;
    let hi = this.#count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#endOf(mid) <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index the complete lines appended since the last call, up to `size` bytes; returns how many were added. */
  async extend(fh: ByteSource, size: number, onProgress?: IndexProgress): Promise<number> {
    const before = this.#count;
    const known = this.#count === 0 && fh.lineEnds ? await fh.lineEnds() : null;
    if (known) {
      for (const end of known) if (end <= size) this.#push(end);
      onProgress?.(size, size);
      return this.#count - before;
    }
    const buf = (this.#buf ??= Buffer.allocUnsafeSlow(this.#readBytes));
    let pos = this.end; // always the start of a line: a partial last line is re-read next time
    while (pos < size) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - pos), pos);
      if (bytesRead === 0) break;
      const view = buf.subarray(0, bytesRead);
      let nl = view.indexOf(NL);
      if (nl === -1) {
        if (bytesRead < buf.length) break; // only a partial line remains
        // A line longer than the buffer: read it with a bigger one, then go back to the usual size.
        this.#buf = Buffer.allocUnsafeSlow(buf.length * 2);
        await this.extend(fh, size, onProgress);
        this.#buf = null;
        return this.#count - before;
      }
      let last = nl;
      while (nl !== -1) {
        this.#push(pos + nl + 1);
        last = nl;
        nl = view.indexOf(NL, nl + 1);
      }
      pos += last + 1;
      onProgress?.(pos, size);
    }
    return this.#count - before;
  }

  /** Drop everything (the file was replaced or shrank). */
  clear(): void {
    this.#blocks = [];
    this.#count = 0;
  }

  #endOf(i: number): number {
    return this.#blocks[i >>> BLOCK_SHIFT][i & (BLOCK_LINES - 1)];
  }

  #push(end: number): void {
    const slot = this.#count & (BLOCK_LINES - 1);
    if (slot === 0) this.#blocks.push(new Float64Array(BLOCK_LINES));
    this.#blocks[this.#blocks.length - 1][slot] = end;
    this.#count++;
  }
}
