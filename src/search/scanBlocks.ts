// A session file's byte range read as large blocks of complete lines: what the scan and its first pass for rewind
// events both walk.
import { openSessionSource } from "../storage/sessionSource.ts";

export interface ScanRange {
  file: string;
  session: string;
  /** Byte range [from, to) of the file; `from` is a line start. A partial last line is left out. */
  from: number;
  to: number;
}

const BLOCK_BYTES = 4 << 20;
const NL = 0x0a;

/** The complete lines of a range, in large blocks (each the file offset it starts at), until the signal aborts. */
export async function* blocksOf(range: ScanRange, signal?: AbortSignal): AsyncGenerator<{ block: Buffer; at: number }> {
  if (range.to <= range.from) return;
  const fh = await openSessionSource(range.file);
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
    await fh.close();
  }
}
