// The one way readers open a session file: plain, compressed or encrypted, they get the session's bytes through the
// same small interface (what they used of a FileHandle), so no reader knows whether or how a session is stored. The
// forms nest: `<id>.jsonl.swc.age` is an age file holding the compressed file, `<id>.jsonl.age` one holding the
// plain file; the decryption is loaded only when an encrypted session is opened (the recorder never loads it).
import fs from "node:fs/promises";
import path from "node:path";
import type { ByteSource } from "./byteSource.ts";
import { COMPRESSED_SUFFIX } from "./blockFormat.ts";
import { CompressedSession } from "./compressedSession.ts";
import { openPrivate } from "./privateFile.ts";

/** Appended to a sealed session's file name (plain or compressed) once it is encrypted with age. */
export const ENCRYPTED_SUFFIX = ".age";

export function isEncryptedSessionFile(file: string): boolean {
  return file.endsWith(ENCRYPTED_SUFFIX);
}

/** Whether the file holds a compressed session, encrypted or not. */
export function isCompressedSessionFile(file: string): boolean {
  return withoutSuffix(file, ENCRYPTED_SUFFIX).endsWith(COMPRESSED_SUFFIX);
}

/**
 * Opens a session file for reading (never through a link, only the user's own: openPrivate). A sealed session that
 * compaction replaced since the caller listed it is opened in the form it has now: the same bytes under another name.
 */
export async function openSessionSource(file: string): Promise<ByteSource> {
  try {
    return await openStoredForm(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    for (const form of storedFormsOf(path.join(path.dirname(file), plainName(file))).filter((f) => f !== file)) {
      try {
        return await openStoredForm(form);
      } catch (other) {
        if ((other as NodeJS.ErrnoException).code !== "ENOENT") throw other;
      }
    }
    throw err;
  }
}

function openStoredForm(file: string): Promise<ByteSource> {
  if (isCompressedSessionFile(file)) return openCompressedSession(file);
  return isEncryptedSessionFile(file) ? openDecrypted(file) : openPrivate(file, "r");
}

/** A compressed session, `.swc` or `.swc.age`. */
export async function openCompressedSession(file: string): Promise<CompressedSession> {
  const stored = isEncryptedSessionFile(file) ? await openDecrypted(file) : await openPrivate(file, "r");
  try {
    return await CompressedSession.open(stored, file);
  } catch (err) {
    await stored.close();
    throw err;
  }
}

async function openDecrypted(file: string): Promise<ByteSource> {
  const { openEncryptedFile } = await import("../crypto/openEncrypted.ts");
  return openEncryptedFile(file);
}

/** The session file name without the suffixes of its stored form: `<id>.jsonl`. */
export function plainName(file: string): string {
  return withoutSuffix(withoutSuffix(path.basename(file), ENCRYPTED_SUFFIX), COMPRESSED_SUFFIX);
}

function withoutSuffix(name: string, suffix: string): string {
  return name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
}

/** Where the sealed session file `plain` is once compressed. */
export function compressedFileOf(plain: string): string {
  return plain + COMPRESSED_SUFFIX;
}

/** Where a sealed session file (plain or compressed) is once encrypted. */
export function encryptedFileOf(file: string): string {
  return file + ENCRYPTED_SUFFIX;
}

/**
 * The files the sealed session `plain` may be stored as, in the order readers take them: two at once exist only
 * while compaction replaces one by the next (the same bytes), and the first needs no key.
 */
export function storedFormsOf(plain: string): string[] {
  return [plain, compressedFileOf(plain), encryptedFileOf(compressedFileOf(plain)), encryptedFileOf(plain)];
}

/** The sealed session files among the names in sessions/, sorted: one per session, its first stored form present. */
export function sealedSessionFiles(names: string[]): string[] {
  const present = new Set(names);
  const sessions = new Set(names.map(plainName).filter((n) => n.endsWith(".jsonl")));
  return [...sessions].map((plain) => storedFormsOf(plain).find((f) => present.has(f))!).sort();
}

/**
 * What tells a session file's content apart: its inode and the size of the session it holds. A compressed one gives
 * the inode of the plain file it was made from (recorded in its index): the same content under a new name. An
 * encrypted one needs its key (it says the size of what it holds only once opened).
 */
export async function describeSealedFile(file: string): Promise<{ ino: number; size: number }> {
  if (!isCompressedSessionFile(file)) {
    const st = await fs.stat(file);
    if (!isEncryptedSessionFile(file)) return { ino: st.ino, size: st.size };
    const source = await openDecrypted(file);
    try {
      return { ino: st.ino, size: (await source.stat()).size };
    } finally {
      await source.close();
    }
  }
  const source = await openCompressedSession(file);
  try {
    return { ino: source.index.source_ino, size: source.index.size };
  } finally {
    await source.close();
  }
}
