// A record read back from the place the index gave for it (the index keeps no copy of the text).
import { parseRecordLine, type SessionRecord } from "../record.ts";
import type { ByteSource } from "../storage/byteSource.ts";
import { readExactly } from "../storage/positionedRead.ts";

/** The record at `offset`, or null when the file no longer holds one there. */
export async function readRecordAt(fh: ByteSource, offset: number, length: number): Promise<SessionRecord | null> {
  try {
    const buf = Buffer.allocUnsafe(length);
    await readExactly(fh, buf, 0, length, offset);
    return parseRecordLine(buf.toString("utf8"));
  } catch {
    return null;
  }
}
