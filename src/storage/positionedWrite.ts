// Write every byte of `buffers` at `position`, in order (a single writev may write fewer).
import type { FileHandle } from "node:fs/promises";

export async function writeAll(fh: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let rest = buffers;
  while (rest.length > 0) {
    let { bytesWritten } = await fh.writev(rest, position);
    position += bytesWritten;
    for (; rest.length > 0 && bytesWritten >= rest[0].length; rest = rest.slice(1)) bytesWritten -= rest[0].length;
    if (bytesWritten > 0) rest = [rest[0].subarray(bytesWritten), ...rest.slice(1)];
  }
}
