// Reads an age file as its plaintext, at any offset: a positioned read opens only the 64 KiB chunks it covers (a few
// kept), so a compressed session inside it (`.jsonl.swc.age`) is read block by block as from a plain `.swc`, and a
// session's newest lines come without decrypting the rest. The last chunk is opened when the file is: a file cut
// short, or one that is not what its header says, is refused before anything is read from it.
import type { ByteSource } from "../storage/byteSource.ts";
import { readExactly } from "../storage/positionedRead.ts";
import { openPrivate } from "../storage/privateFile.ts";
import { CHUNK_BYTES, headerLength, looksLikeAge, NONCE_BYTES, openChunk, payloadKey, payloadLayout, SEALED_CHUNK_BYTES, TAG_BYTES } from "./ageStream.ts";

/** Chunks kept open: a read straddles two, a scan of short reads goes forward one at a time. */
const CACHED_CHUNKS = 4;
/** An age header is a few hundred bytes per recipient; anything far larger is not one. */
const MAX_HEADER_BYTES = 1 << 20;
const HEADER_PROBE_BYTES = 4096;

/** A file that is not a sound age file, or a chunk of it that fails its authentication. */
export class DamagedEncryptedFileError extends Error {}

/** What gives the file key of a header: an identity or passphrase (through age-encryption), or a key already known. */
export type FileKeyOf = (header: Buffer) => Promise<Uint8Array>;

export class EncryptedFile implements ByteSource {
  readonly #src: ByteSource;
  readonly #file: string;
  readonly #key: Buffer;
  readonly #payloadAt: number;
  readonly #chunks: number;
  readonly #sealedBytes: number;
  readonly size: number;
  readonly header: Buffer;
  #cache = new Map<number, Buffer>();

  private constructor(src: ByteSource, file: string, header: Buffer, key: Buffer, layout: { plainSize: number; chunks: number }, sealedBytes: number) {
    this.#src = src;
    this.#file = file;
    this.header = header;
    this.#key = key;
    this.#payloadAt = header.length + NONCE_BYTES;
    this.#chunks = layout.chunks;
    this.#sealedBytes = sealedBytes;
    this.size = layout.plainSize;
  }

  /** Opens the age file `src` (named `file` in messages); the caller closes `src` when this throws. */
  static async open(src: ByteSource, file: string, fileKeyOf: FileKeyOf): Promise<EncryptedFile> {
    const damaged = (why: string) => new DamagedEncryptedFileError(`${file} is not a readable age file: ${why}`);
    const { size } = await src.stat();
    const header = await readHeader(src, size);
    if (!header) throw damaged("its header is missing or damaged (it does not start with age-encryption.org/v1 and end with a --- line)");
    const layout = payloadLayout(size - header.length - NONCE_BYTES);
    if (!layout) throw damaged(`its ${size} bytes are not a header and a whole age payload (was it cut short?)`);
    const nonce = Buffer.alloc(NONCE_BYTES);
    await readExactly(src, nonce, 0, NONCE_BYTES, header.length);
    const key = payloadKey(await fileKeyOf(header), nonce);
    const opened = new EncryptedFile(src, file, header, key, layout, size - header.length - NONCE_BYTES);
    await opened.#chunk(layout.chunks - 1); // the last chunk's flag: a file cut at a chunk boundary fails here
    return opened;
  }

  async stat(): Promise<{ size: number }> {
    return { size: this.size };
  }

  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    const end = Math.min(position + length, this.size);
    let done = 0;
    for (let pos = position; pos < end; ) {
      const n = Math.floor(pos / CHUNK_BYTES);
      const chunk = await this.#chunk(n);
      const from = pos - n * CHUNK_BYTES;
      const take = Math.min(chunk.length - from, end - pos);
      chunk.copy(buffer, offset + done, from, from + take);
      done += take;
      pos += take;
    }
    return { bytesRead: done };
  }

  async close(): Promise<void> {
    this.#cache.clear();
    await this.#src.close();
  }

  async #chunk(n: number): Promise<Buffer> {
    const cached = this.#cache.get(n);
    if (cached) {
      this.#cache.delete(n); // most recently used last
      this.#cache.set(n, cached);
      return cached;
    }
    const at = n * SEALED_CHUNK_BYTES;
    const sealed = Buffer.allocUnsafe(Math.min(SEALED_CHUNK_BYTES, this.#sealedBytes - at));
    await readExactly(this.#src, sealed, 0, sealed.length, this.#payloadAt + at);
    let plain: Buffer;
    try {
      plain = openChunk(this.#key, n, n === this.#chunks - 1, sealed);
    } catch {
      const from = n * CHUNK_BYTES;
      throw new DamagedEncryptedFileError(
        `${this.#file}: chunk ${n} of ${this.#chunks} (bytes ${from} to ${from + sealed.length - TAG_BYTES} of what it holds) fails authentication: the file is damaged or was altered`,
      );
    }
    this.#cache.set(n, plain);
    while (this.#cache.size > CACHED_CHUNKS) this.#cache.delete(this.#cache.keys().next().value!);
    return plain;
  }
}

/** Opens the age file `file` of a logs folder (never through a link, only the user's own: openPrivate). */
export async function openAgeFile(file: string, fileKeyOf: FileKeyOf): Promise<EncryptedFile> {
  const fh = await openPrivate(file, "r");
  try {
    return await EncryptedFile.open(fh, file, fileKeyOf);
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** The header at the start of the file, read a little at a time until its MAC line ends; null when there is none. */
async function readHeader(src: ByteSource, size: number): Promise<Buffer | null> {
  for (let probe = HEADER_PROBE_BYTES; ; probe *= 4) {
    const bytes = Buffer.alloc(Math.min(probe, size, MAX_HEADER_BYTES));
    await readExactly(src, bytes, 0, bytes.length, 0);
    if (!looksLikeAge(bytes)) return null;
    const length = headerLength(bytes);
    if (length !== null) return bytes.subarray(0, length);
    if (bytes.length >= Math.min(size, MAX_HEADER_BYTES)) return null;
  }
}
