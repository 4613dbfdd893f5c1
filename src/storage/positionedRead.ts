// Read exactly `length` bytes at `position` (a single read may return fewer).
import type { ByteSource } from "./byteSource.ts";

export async function readExactly(fh: ByteSource, buf: Buffer, offset: number, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, offset + done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`file ended before offset ${position + length} (was it truncated?)`);
    done += bytesRead;
  }
}
