// The one way readers open a session file: plain or compressed, they get the session's bytes through the same small
// interface (what they used of a FileHandle), so no reader knows whether or how a session is compressed.
import fs from "node:fs/promises";
import path from "node:path";
import type { ByteSource } from "./byteSource.ts";
import { COMPRESSED_SUFFIX } from "./blockFormat.ts";
import { CompressedSession } from "./compressedSession.ts";
import { openPrivate } from "./privateFile.ts";

export function isCompressedSessionFile(file: string): boolean {
  return file.endsWith(COMPRESSED_SUFFIX);
}

/** Opens a session file for reading (never through a link, only the user's own: openPrivate). */
export async function openSessionSource(file: string): Promise<ByteSource> {
  return isCompressedSessionFile(file) ? openCompressedSession(file) : openPrivate(file, "r");
}

export async function openCompressedSession(file: string): Promise<CompressedSession> {
  const fh = await openPrivate(file, "r");
  try {
    return await CompressedSession.open(fh, file);
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** The session file name without the compressed suffix: `<id>.jsonl`. */
export function plainName(file: string): string {
  const base = path.basename(file);
  return isCompressedSessionFile(base) ? base.slice(0, -COMPRESSED_SUFFIX.length) : base;
}

/** Where the sealed session file `plain` is once compressed. */
export function compressedFileOf(plain: string): string {
  return plain + COMPRESSED_SUFFIX;
}

/**
 * The sealed session files among the names in sessions/, sorted: `<id>.jsonl`, and `<id>.jsonl.swc` unless the
 * plain one is there too (a compaction between its rename and its removal of the plain file: the same bytes).
 */
export function sealedSessionFiles(names: string[]): string[] {
  const plain = new Set(names.filter((n) => n.endsWith(".jsonl")));
  return names
    .filter((n) => plain.has(n) || (isCompressedSessionFile(n) && n.endsWith(`.jsonl${COMPRESSED_SUFFIX}`) && !plain.has(plainName(n))))
    .sort();
}

/**
 * What tells a session file's content apart: its inode and the size of the session it holds. A compressed one gives
 * the inode of the plain file it was made from (recorded in its index): the same content under a new name.
 */
export async function describeSealedFile(file: string): Promise<{ ino: number; size: number }> {
  if (!isCompressedSessionFile(file)) {
    const st = await fs.stat(file);
    return { ino: st.ino, size: st.size };
  }
  const source = await openCompressedSession(file);
  try {
    return { ino: source.index.source_ino, size: source.index.size };
  } finally {
    await source.close();
  }
}
