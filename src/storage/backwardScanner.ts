// Backward scan of complete lines, newest first, from a line boundary of an open file: reads chunks before what it
// has, so the last lines of a huge file come at once, with no index.
import type { ByteSource } from "./byteSource.ts";
import { LineEntry } from "./entry.ts";
import { readExactly } from "./positionedRead.ts";

const NL = 0x0a;
const CHUNK_BYTES = 256 << 10;

/** Offset just past the last newline before `size` (0 when there is none): the end of the complete lines. */
export async function completeEnd(fh: ByteSource, size: number): Promise<number> {
  const buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(size, 1)));
  let pos = size;
  while (pos > 0) {
    const from = Math.max(0, pos - buf.length);
    const { bytesRead } = await fh.read(buf, 0, pos - from, from);
    const nl = buf.subarray(0, bytesRead).lastIndexOf(NL);
    if (nl !== -1) return from + nl + 1;
    pos = from;
  }
  return 0;
}

/**
 * Lines ending at or before `end` (a line boundary), last first. `lastIndex` is the index of the line ending at `end`
 * (-1 when unknown: every entry then has index -1). `chunkBytes`: read size (small values exercise chunk boundaries).
 */
export async function* scanBackwards(fh: ByteSource, end: number, lastIndex: number, chunkBytes = CHUNK_BYTES): AsyncGenerator<LineEntry> {
  let index = lastIndex;
  let lineEnd = end; // just past the newline of the next line to yield
  let buf = Buffer.alloc(0); // holds the file bytes [bufStart, lineEnd)
  let bufStart = end;
  while (lineEnd > 0) {
    const lastContent = lineEnd - 2 - bufStart; // in buf: the last byte before the line's newline
    const nl = lastContent >= 0 ? buf.lastIndexOf(NL, lastContent) : -1;
    if (nl === -1 && bufStart > 0) {
      const kept = lineEnd - bufStart;
      const from = Math.max(0, bufStart - Math.max(chunkBytes, kept));
      const chunk = Buffer.allocUnsafe(bufStart - from + kept);
      await readExactly(fh, chunk, 0, bufStart - from, from);
      buf.copy(chunk, bufStart - from, 0, kept);
      buf = chunk;
      bufStart = from;
      continue;
    }
    const lineStart = nl === -1 ? 0 : bufStart + nl + 1;
    yield new LineEntry(index, lineStart, lineEnd - 1 - lineStart, buf, lineStart - bufStart);
    if (index >= 0) index--;
    lineEnd = lineStart;
  }
}
