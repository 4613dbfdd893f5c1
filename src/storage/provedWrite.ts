// A file written in another form from a source file (compressed, encrypted), then proved: opened again through the
// reader every reader uses, its bytes must hash to the source's. What compaction relies on before a source goes.
import type fs from "node:fs/promises";
import type { ByteSource } from "./byteSource.ts";
import { openPrivate } from "./privateFile.ts";
import { sha256Of } from "./sourceHash.ts";

/** What a writer made of its source. */
export interface WrittenFile {
  /** Bytes of the source, and of the file made from it. */
  size: number;
  stored: number;
  /** SHA-256 of the source's bytes. */
  sha256: string;
}

/**
 * `target` made from `source` by `write` (created exclusively: never through a link, never over a file), synced, then
 * opened by `reopen` and hashed. Throws (leaving `target` for the caller to remove) when the source changed meanwhile
 * (`doing` names what was done to it) or the result does not read back as the same bytes.
 */
export async function writeProved(
  source: string,
  target: string,
  doing: string,
  write: (src: fs.FileHandle, st: { size: number; ino: number }, out: fs.FileHandle) => Promise<WrittenFile>,
  reopen: () => Promise<ByteSource>,
): Promise<WrittenFile> {
  const src = await openPrivate(source, "r");
  let written: WrittenFile;
  try {
    const before = await src.stat();
    const out = await openPrivate(target, "wx");
    try {
      written = await write(src, before, out);
      await out.sync();
    } finally {
      await out.close();
    }
    const after = await src.stat();
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) throw new Error(`${source} changed while it was being ${doing}`);
  } finally {
    await src.close();
  }
  const check = await reopen();
  try {
    const { size } = await check.stat();
    const readBack = size === written.size ? await sha256Of(check, size) : `${size} bytes`;
    if (readBack !== written.sha256) throw new Error(`${target} does not read back as ${source} (${readBack}, expected ${written.sha256})`);
  } finally {
    await check.close();
  }
  return written;
}
