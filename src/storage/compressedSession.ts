// Reads a compressed sealed session as the bytes of the plain file it was made from: positioned reads decompress
// the blocks they cover (a few kept, the next one decompressed ahead while a reader goes forward), so every reader
// of session files (sessionReader, checkpoints, search) works on it unchanged, through sessionSource.ts.
import type { ByteSource } from "./byteSource.ts";
import { crc32, decodeLineEnds, decompressBlock, HEADER_MAGIC, lineEndsBytesAtMost, TRAILER_BYTES, TRAILER_MAGIC, type BlockIndex } from "./blockFormat.ts";
import { readExactly } from "./positionedRead.ts";

/** Blocks kept decompressed: a forward scan needs two (one read may straddle them), a backward one as many. */
const CACHED_BLOCKS = 4;
/** The index of a session is tiny (a few dozen bytes per MiB of session); anything far larger is not an index. */
const MAX_INDEX_BYTES = 64 << 20;

export class DamagedCompressedFileError extends Error {}

export class CompressedSession {
  readonly #fh: ByteSource;
  readonly #file: string;
  readonly index: BlockIndex;
  readonly storedBytes: number;
  #cache = new Map<number, Promise<Buffer>>();
  #lastBlock = -1;

  private constructor(fh: ByteSource, file: string, index: BlockIndex, storedBytes: number) {
    this.#fh = fh;
    this.#file = file;
    this.index = index;
    this.storedBytes = storedBytes;
  }

  /** Reads the trailer and the index of an open file, plain or decrypted (the caller closes `fh` when this throws). */
  static async open(fh: ByteSource, file: string): Promise<CompressedSession> {
    const damaged = (why: string) => new DamagedCompressedFileError(`${file} is not a readable compressed session: ${why}`);
    const { size } = await fh.stat();
    if (size < HEADER_MAGIC.length + TRAILER_BYTES) throw damaged(`only ${size} bytes`);
    const head = Buffer.alloc(HEADER_MAGIC.length);
    await readExactly(fh, head, 0, head.length, 0);
    const trailer = Buffer.alloc(TRAILER_BYTES);
    await readExactly(fh, trailer, 0, TRAILER_BYTES, size - TRAILER_BYTES);
    if (!head.equals(HEADER_MAGIC) || !trailer.subarray(8).equals(TRAILER_MAGIC)) throw damaged("its first or last bytes are not the format's");
    const at = Number(trailer.readBigUInt64LE(0));
    const length = size - TRAILER_BYTES - at;
    if (at < HEADER_MAGIC.length || length <= 0 || length > MAX_INDEX_BYTES) throw damaged(`its trailer points outside the file`);
    const text = Buffer.alloc(length);
    await readExactly(fh, text, 0, length, at);
    let index: BlockIndex;
    try {
      index = JSON.parse(text.toString("utf8")) as BlockIndex;
    } catch (err) {
      throw damaged(`its index does not parse (${(err as Error).message})`);
    }
    const why = indexProblem(index, at);
    if (why) throw damaged(why);
    return new CompressedSession(fh, file, index, size);
  }

  /** The size of the session it holds (uncompressed). */
  async stat(): Promise<{ size: number }> {
    return { size: this.index.size };
  }

  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    const end = Math.min(position + length, this.index.size);
    let done = 0;
    for (let pos = position; pos < end; ) {
      const n = Math.floor(pos / this.index.block_bytes);
      const block = await this.#block(n);
      const from = pos - n * this.index.block_bytes;
      const take = Math.min(block.length - from, end - pos);
      block.copy(buffer, offset + done, from, from + take);
      done += take;
      pos += take;
    }
    return { bytesRead: done };
  }

  /** The line ends recorded when it was compressed (null for a file without them: its lines are then scanned). */
  async lineEnds(): Promise<Float64Array | null> {
    if (!this.index.lines) return null;
    const [at, length, crc, count] = this.index.lines;
    const stored = Buffer.allocUnsafe(length);
    await readExactly(this.#fh, stored, 0, length, at);
    const deltas = await decompressBlock(stored, lineEndsBytesAtMost(count)).catch(() => null);
    const ends = deltas && crc32(deltas) === crc ? decodeLineEnds(deltas, count, this.index.size) : null;
    if (!ends) throw new DamagedCompressedFileError(`${this.#file}: its record of line ends is damaged`);
    return ends;
  }

  async close(): Promise<void> {
    this.#cache.clear();
    await this.#fh.close();
  }

  #block(n: number): Promise<Buffer> {
    const sequential = n === this.#lastBlock + 1;
    this.#lastBlock = n;
    const block = this.#cached(n);
    // Going forward: the next block decompresses on the thread pool while the caller works on this one.
    if (sequential && n + 1 < this.index.blocks.length) this.#cached(n + 1).catch(() => {});
    return block;
  }

  #cached(n: number): Promise<Buffer> {
    let block = this.#cache.get(n);
    if (block) {
      this.#cache.delete(n); // most recently used last
    } else {
      block = this.#decompress(n);
      block.catch(() => this.#cache.delete(n));
    }
    this.#cache.set(n, block);
    while (this.#cache.size > CACHED_BLOCKS) this.#cache.delete(this.#cache.keys().next().value!);
    return block;
  }

  async #decompress(n: number): Promise<Buffer> {
    const [at, length, crc] = this.index.blocks[n];
    const stored = Buffer.allocUnsafe(length);
    await readExactly(this.#fh, stored, 0, length, at);
    const expected = Math.min(this.index.block_bytes, this.index.size - n * this.index.block_bytes);
    const block = await decompressBlock(stored, expected).catch((err: Error) => {
      throw new DamagedCompressedFileError(`${this.#file}: block ${n} does not decompress (${err.message})`);
    });
    if (block.length !== expected || crc32(block) !== crc) {
      throw new DamagedCompressedFileError(`${this.#file}: block ${n} is damaged (its length or checksum differs)`);
    }
    return block;
  }
}

/** What makes an index unusable (it comes from a file: never trusted), or null. */
function indexProblem(index: BlockIndex, indexAt: number): string | null {
  if (index?.v !== 1 || index.codec !== "brotli") return `unknown version or codec`;
  const { size, block_bytes: bb, blocks } = index;
  if (!Number.isSafeInteger(size) || size < 0 || !Number.isSafeInteger(bb) || bb <= 0 || !Array.isArray(blocks)) return "its index is malformed";
  if (blocks.length !== Math.ceil(size / bb)) return `its index lists ${blocks.length} blocks for ${size} bytes`;
  let next = HEADER_MAGIC.length;
  for (const b of blocks) {
    if (!Array.isArray(b) || b[0] !== next || !Number.isSafeInteger(b[1]) || b[1] <= 0 || !Number.isInteger(b[2])) return "its index is malformed";
    next += b[1];
  }
  const lines = index.lines;
  if (lines !== undefined) {
    if (!Array.isArray(lines) || lines[0] !== next || !lines.every((x) => Number.isSafeInteger(x) && x >= 0)) return "its index is malformed";
    next += lines[1];
  }
  return next === indexAt ? null : "its blocks do not end where its index starts";
}
