// A session file's byte range read as large blocks of complete lines: what the scan and its first pass for rewind
// events both walk (the pass also over a source a reader has open: `view` and `export` read the same bytes twice).
import type { ByteSource } from "../storage/byteSource.ts";
import { openSessionSource } from "../storage/sessionSource.ts";

/** Byte range [from, to) of a session; `from` is a line start, `to` may be Infinity (its end as it is while read). A
 * partial last line is left out. */
interface ByteRange {
  from: number;
  to: number;
}

export interface ScanRange extends ByteRange {
  file: string;
  session: string;
}

/** A range of a session a reader has open: read through its source (plain, compressed or encrypted), left open. */
export interface SourceRange extends ByteRange {
  source: ByteSource;
}

const BLOCK_BYTES = 4 << 20;
const NL = 0x0a;

/** The complete lines of a range, in large blocks (each the file offset it starts at), until the signal aborts. */
export async function* blocksOf(range: ScanRange | SourceRange, signal?: AbortSignal): AsyncGenerator<{ block: Buffer; at: number }> {
  if (range.to <= range.from) return;
  const fh = "source" in range ? range.source : await openSessionSource(range.file);
  try {
    let pos = range.from; // file offset of the next block
    let buf = Buffer.allocUnsafe(BLOCK_BYTES);
    while (pos < range.to) {
      if (signal?.aborted) return;
      const want = Math.min(buf.length, range.to - pos);
      const { bytesRead } = await fh.read(buf, 0, want, pos);
      if (bytesRead === 0) break;
      const end = buf.lastIndexOf(NL, bytesRead - 1) + 1; // complete lines only
      if (end === 0) {
        if (bytesRead < buf.length) break; // the range ends in a partial line
        buf = Buffer.allocUnsafe(buf.length * 2); // a line longer than a block
        continue;
      }
      yield { block: buf.subarray(0, end), at: pos };
      pos += end;
    }
  } finally {
    if (!("source" in range)) await fh.close();
  }
}
