// The SHA-256 of a byte source's first bytes: how a file written in another form (compressed, encrypted) is proved to
// read back as the bytes it was made from.
import { createHash } from "node:crypto";
import type { ByteSource } from "./byteSource.ts";
import { readExactly } from "./positionedRead.ts";

const READ_BYTES = 4 << 20;

/** SHA-256 of the first `size` bytes of a source. */
export async function sha256Of(src: ByteSource, size: number): Promise<string> {
  const hash = createHash("sha256");
  const buf = Buffer.allocUnsafe(Math.min(READ_BYTES, Math.max(size, 1)));
  for (let pos = 0; pos < size; ) {
    const n = Math.min(buf.length, size - pos);
    await readExactly(src, buf, 0, n, pos);
    hash.update(buf.subarray(0, n));
    pos += n;
  }
  return hash.digest("hex");
}
