// Writes a file as a standard age file (age-encryption, streaming, in bounded memory) and proves it: read back through
// the same reader every reader uses (encryptedFile.ts), its plaintext must hash to the source file's bytes.
import { createHash } from "node:crypto";
import * as age from "age-encryption";
import type fs from "node:fs/promises";
import { writeAll } from "../storage/positionedWrite.ts";
import { writeProved, type WrittenFile } from "../storage/provedWrite.ts";
import { unwrapFileKey, type Encryption } from "./ageCrypto.ts";
import { headerMacMatches } from "./ageStream.ts";
import { DamagedEncryptedFileError, openAgeFile, type FileKeyOf } from "./encryptedFile.ts";

const READ_BYTES = 1 << 20;
/** Encrypted bytes gathered before a write (the library gives them a 64 KiB chunk at a time). */
const WRITE_BYTES = 4 << 20;

/**
 * Encrypts `source` into `target` (created exclusively: never through a link, never over a file), synced, then read
 * back and checked against the source's hash. Throws (leaving `target` for the caller to remove) when the source
 * changed meanwhile or the result does not read back as the same bytes.
 */
export async function writeEncrypted(source: string, target: string, how: Encryption): Promise<WrittenFile> {
  const { encrypter, readBackKey } = encrypterFor(how, target);
  return writeProved(source, target, "encrypted", (src, st, out) => encryptInto(src, st.size, encrypter, out), () => openAgeFile(target, readBackKey));
}

/**
 * The library's encrypter, and how the file it writes is opened again to check it. To recipients, the file key is
 * kept as it is wrapped (a recipient that adds no stanza), as no identity is at hand: the header is then checked by
 * its MAC. With a passphrase, the file is opened with it, as any reader would.
 */
function encrypterFor(how: Encryption, target: string): { encrypter: age.Encrypter; readBackKey: FileKeyOf } {
  const encrypter = new age.Encrypter();
  if ("passphrase" in how) {
    encrypter.setPassphrase(how.passphrase);
    return { encrypter, readBackKey: (header) => unwrapFileKey(header, how, target) };
  }
  for (const r of how.recipients) encrypter.addRecipient(r);
  let fileKey: Uint8Array | null = null;
  encrypter.addRecipient({
    wrapFileKey: (key) => {
      fileKey = key;
      return [];
    },
  });
  return {
    encrypter,
    readBackKey: async (header) => {
      if (!fileKey || !headerMacMatches(header, fileKey)) throw new DamagedEncryptedFileError(`${target}: its age header does not read back as written`);
      return fileKey;
    },
  };
}

async function encryptInto(src: fs.FileHandle, size: number, encrypter: age.Encrypter, out: fs.FileHandle): Promise<WrittenFile> {
  const hash = createHash("sha256");
  let pos = 0;
  const plain = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (pos >= size) return controller.close();
        const buf = Buffer.allocUnsafe(Math.min(READ_BYTES, size - pos));
        const { bytesRead } = await src.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) return controller.error(new Error(`file ended at byte ${pos} of ${size} while it was being encrypted`));
        const bytes = buf.subarray(0, bytesRead);
        hash.update(bytes);
        pos += bytesRead;
        controller.enqueue(bytes);
      },
    },
    { highWaterMark: 0 }, // read only as fast as the encrypted bytes are written: bounded memory whatever the size
  );
  const reader = (await encrypter.encrypt(plain)).getReader();
  let at = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    await writeAll(out, pending.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)), at);
    at += pendingBytes;
    pending = [];
    pendingBytes = 0;
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending.push(value);
    pendingBytes += value.length;
    if (pendingBytes >= WRITE_BYTES) await flush();
  }
  await flush();
  return { size, stored: at, sha256: hash.digest("hex") };
}
