// The layout of a compressed sealed session (`sessions/<id>.jsonl.swc`): the session's bytes cut into blocks of
// BLOCK_BYTES, each compressed on its own, then a JSON index of the blocks and a fixed-size trailer pointing at it.
// Any byte range is read by decompressing only the blocks it covers, so the newest lines of a huge session come as
// fast as from the plain file. Written by src/compact/blockWriter.ts, read by compressedSession.ts.
import zlib from "node:zlib";

/** Appended to a sealed session's file name once it is compressed. */
export const COMPRESSED_SUFFIX = ".swc";
export const HEADER_MAGIC = Buffer.from("SWBLOCK1");
export const TRAILER_MAGIC = Buffer.from("SWINDEX1");
/** The index's offset (8 bytes, little-endian) then TRAILER_MAGIC. */
export const TRAILER_BYTES = 16;
/**
 * Uncompressed bytes per block. 1 MiB: a first screen decompresses one block (a few ms), and brotli finds most of its
 * ratio within a block this size (256 KiB blocks lose a tenth of it on conversation text).
 */
export const BLOCK_BYTES = 1 << 20;
export const CODEC = "brotli";

export interface BlockIndex {
  v: 1;
  codec: typeof CODEC;
  block_bytes: number;
  /** Bytes of the session (uncompressed). */
  size: number;
  /** SHA-256 of the session's bytes: the plain file's, checked when it was compressed. */
  sha256: string;
  /** Inode of the plain file it was made from: the search index knows the session's content by it. */
  source_ino: number;
  /** Per block: [offset in this file, compressed length, CRC-32 of the uncompressed bytes]. */
  blocks: Array<[number, number, number]>;
  /**
   * Where the session's line ends are (the offset just past each newline, as LEB128 deltas, compressed):
   * [offset in this file, compressed length, CRC-32 of the deltas, lines]. A reader's line index is built from them
   * without decompressing the session (a viewer shows a compressed session's rows as soon as a plain one's).
   */
  lines?: [number, number, number, number];
}

/**
 * Quality 4 of 11: measured on conversation text (bench/compact-ratio.ts) it compresses better than gzip -6 and
 * zstd -3 at four times gzip's speed; quality 5 gains 4% more ratio at half the speed.
 */
const COMPRESS_PARAMS = {
  [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
  [zlib.constants.BROTLI_PARAM_LGWIN]: 22,
  [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
};

/**
 * zlib's output chunk for a block: the whole of it at once. With the default 16 KiB chunk, one block costs dozens of
 * trips between the thread pool and the main thread (decompressing ran at a third of the speed). Sizes come from a
 * file's index, never trusted: the chunk, allocated up front, is capped.
 */
const MAX_CHUNK = 4 << 20;
const chunkFor = (bytes: number) => Math.min(Math.max(bytes, zlib.constants.Z_MIN_CHUNK), MAX_CHUNK);

/** Compresses one block on the thread pool, so blocks in flight use every core. */
export function compressBlock(block: Buffer): Promise<Buffer> {
  const options = { chunkSize: chunkFor(block.length), params: { ...COMPRESS_PARAMS, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: block.length } };
  return new Promise((resolve, reject) => zlib.brotliCompress(block, options, (err, out) => (err ? reject(err) : resolve(out))));
}

/** Decompresses one block of at most `bytes` bytes (a damaged block that would give more fails, never fills memory). */
export function decompressBlock(block: Buffer, bytes: number): Promise<Buffer> {
  const options = { chunkSize: chunkFor(bytes), maxOutputLength: Math.max(bytes, 1) };
  return new Promise((resolve, reject) => zlib.brotliDecompress(block, options, (err, out) => (err ? reject(err) : resolve(out))));
}

/** The most bytes the line ends of `count` lines take as deltas (encodeLineEnds). */
export function lineEndsBytesAtMost(count: number): number {
  return count * 8 + 8;
}

export function crc32(bytes: Buffer): number {
  return zlib.crc32(bytes);
}

/** Line ends (increasing offsets) as LEB128 deltas. */
export function encodeLineEnds(ends: number[]): Buffer {
  const out = Buffer.allocUnsafe(lineEndsBytesAtMost(ends.length));
  let at = 0;
  let prev = 0;
  for (const end of ends) {
    let d = end - prev;
    prev = end;
    while (d >= 0x80) {
      out[at++] = (d % 0x80) | 0x80;
      d = Math.floor(d / 0x80);
    }
    out[at++] = d;
  }
  return out.subarray(0, at);
}

/** The line ends back from their deltas; null when the bytes are not `count` increasing ends within `size`. */
export function decodeLineEnds(bytes: Buffer, count: number, size: number): Float64Array | null {
  const ends = new Float64Array(count);
  let n = 0;
  let prev = 0;
  for (let at = 0; at < bytes.length; ) {
    let d = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) return null;
      const b = bytes[at++];
      d += (b & 0x7f) * scale;
      scale *= 0x80;
      if (b < 0x80) break;
    }
    prev += d;
    if (d === 0 || prev > size || n >= count) return null;
    ends[n++] = prev;
  }
  return n === count ? ends : null;
}
