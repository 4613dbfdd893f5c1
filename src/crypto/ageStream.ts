// The payload of an age file (age-encryption.org/v1), for random access: after the header come a 16-byte nonce and
// the plaintext in 64 KiB chunks, each sealed on its own with ChaCha20-Poly1305 under a key derived from the file key
// and the nonce, the chunk's number in its nonce and a flag on the last one. age-encryption decrypts a file only from
// its start; with the file key (from its header, through the library) any chunk is opened alone here, with Node's
// own ChaCha20-Poly1305. A chunk moved, cut short or altered fails its tag; a file cut at a chunk boundary fails at
// its new last chunk, which lacks the flag.
import crypto from "node:crypto";

export const CHUNK_BYTES = 64 * 1024;
export const TAG_BYTES = 16;
export const SEALED_CHUNK_BYTES = CHUNK_BYTES + TAG_BYTES;
export const NONCE_BYTES = 16;
const INTRO = Buffer.from("age-encryption.org/v1\n");
const MAC_LINE = Buffer.from("\n--- ");

/** The length of the header at the start of `bytes` (through the newline ending its `--- MAC` line), or null. */
export function headerLength(bytes: Buffer): number | null {
  const mac = bytes.indexOf(MAC_LINE);
  if (mac === -1) return null;
  const end = bytes.indexOf(0x0a, mac + MAC_LINE.length);
  return end === -1 ? null : end + 1;
}

/** Whether `bytes` start like an age file at all (a check that needs no key). */
export function looksLikeAge(bytes: Buffer): boolean {
  return bytes.subarray(0, INTRO.length).equals(INTRO);
}

/** The key the payload's chunks are sealed with. */
export function payloadKey(fileKey: Uint8Array, nonce: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", fileKey, nonce, "payload", 32));
}

/** How a payload of `bytes` (after the nonce) is cut: its plaintext's size and its chunks; null when no payload is
 * that long (a chunk shorter than its tag, or an empty last chunk after others). */
export function payloadLayout(bytes: number): { plainSize: number; chunks: number } | null {
  if (bytes < TAG_BYTES) return null;
  const chunks = Math.max(1, Math.ceil(bytes / SEALED_CHUNK_BYTES));
  const last = bytes - (chunks - 1) * SEALED_CHUNK_BYTES;
  if (last < TAG_BYTES || (last === TAG_BYTES && chunks > 1)) return null;
  return { plainSize: bytes - chunks * TAG_BYTES, chunks };
}

/** Opens chunk `index` (its sealed bytes); throws when its tag does not match (damaged, moved or altered). */
export function openChunk(key: Buffer, index: number, last: boolean, sealed: Buffer): Buffer {
  const decipher = crypto.createDecipheriv("chacha20-poly1305", key, chunkNonce(index, last), { authTagLength: TAG_BYTES });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const plain = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
  decipher.final();
  return plain;
}

/** The 11-byte big-endian chunk counter, then 1 for the last chunk. */
function chunkNonce(index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(index, 5, 6);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** Whether the header's MAC is the one its file key gives: a header written whole, checked without an identity. */
export function headerMacMatches(header: Buffer, fileKey: Uint8Array): boolean {
  const macAt = header.lastIndexOf(MAC_LINE) + MAC_LINE.length;
  const mac = Buffer.from(header.toString("latin1", macAt, header.length - 1), "base64");
  const macKey = Buffer.from(crypto.hkdfSync("sha256", fileKey, Buffer.alloc(0), "header", 32));
  const expected = crypto.createHmac("sha256", macKey).update(header.subarray(0, macAt - 1)).digest();
  return mac.length === expected.length && crypto.timingSafeEqual(mac, expected);
}
