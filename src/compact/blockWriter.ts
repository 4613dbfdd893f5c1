// Writes a sealed session in the compressed block format (src/storage/blockFormat.ts) and proves it: the file is
// read back through the same reader every reader uses, and its bytes must hash to the plain file's.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import { BLOCK_BYTES, CODEC, compressBlock, crc32, encodeLineEnds, HEADER_MAGIC, TRAILER_MAGIC, type BlockIndex } from "../storage/blockFormat.ts";
import type { ByteSource } from "../storage/byteSource.ts";
import { writeAll } from "../storage/positionedWrite.ts";
import { readExactly } from "../storage/positionedRead.ts";
import { writeProved, type WrittenFile } from "../storage/provedWrite.ts";
import { openCompressedSession } from "../storage/sessionSource.ts";

const NL = 0x0a;
/** Blocks compressing at once: the thread pool runs them side by side, one per core of a 2-core machine and more. */
const IN_FLIGHT = 4;

/**
 * Compresses `plain` into `target` (created exclusively: never through a link, never over a file), synced, then read
 * back and checked against the plain file's hash. Throws (leaving `target` for the caller to remove) when the plain
 * file changed meanwhile or the result does not read back as the same bytes.
 */
export async function writeCompressed(plain: string, target: string): Promise<WrittenFile> {
  return writeProved(plain, target, "compressed", (src, st, out) => compressInto(src, st.size, st.ino, out), () => openCompressedSession(target));
}

async function compressInto(src: ByteSource, size: number, ino: number, out: fs.FileHandle): Promise<WrittenFile> {
  const hash = createHash("sha256");
  const blocks: BlockIndex["blocks"] = [];
  const lineEnds: number[] = [];
  let at = 0;
  const append = async (bytes: Buffer) => {
    await writeAll(out, [bytes], at);
    at += bytes.length;
  };
  await append(HEADER_MAGIC);
  const pending: Array<Promise<{ block: Buffer; stored: Buffer }>> = [];
  const startBlock = async (n: number) => {
    const block = Buffer.allocUnsafe(Math.min(BLOCK_BYTES, size - n * BLOCK_BYTES));
    await readExactly(src, block, 0, block.length, n * BLOCK_BYTES);
    return { block, stored: await compressBlock(block) };
  };
  const count = Math.ceil(size / BLOCK_BYTES);
  for (let n = 0, next = 0; n < count; n++) {
    while (next < count && next < n + IN_FLIGHT) pending.push(startBlock(next++));
    const { block, stored } = await pending.shift()!;
    hash.update(block); // here, in order: blocks in flight may finish in any order
    for (let nl = block.indexOf(NL); nl !== -1; nl = block.indexOf(NL, nl + 1)) lineEnds.push(n * BLOCK_BYTES + nl + 1);
    blocks.push([at, stored.length, crc32(block)]);
    await append(stored);
  }
  const sha256 = hash.digest("hex");
  const deltas = encodeLineEnds(lineEnds);
  const lines: BlockIndex["lines"] = [at, 0, crc32(deltas), lineEnds.length];
  const storedLines = await compressBlock(deltas);
  lines[1] = storedLines.length;
  await append(storedLines);
  const index: BlockIndex = { v: 1, codec: CODEC, block_bytes: BLOCK_BYTES, size, sha256, source_ino: ino, blocks, lines };
  const indexAt = at;
  await append(Buffer.from(JSON.stringify(index)));
  const trailer = Buffer.alloc(16);
  trailer.writeBigUInt64LE(BigInt(indexAt), 0);
  TRAILER_MAGIC.copy(trailer, 8);
  await append(trailer);
  return { size, stored: at, sha256 };
}
