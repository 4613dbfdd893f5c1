// Opens an encrypted session file (`.jsonl.age`, `.jsonl.swc.age`) with the reading key of the environment
// (atRestSettings.ts). A file key, once a header gave it up, is kept for the process: readers open a session many
// times (its id, its size, its lines), and a passphrase costs a second of scrypt each time it is tried. With no key set,
// a file sealed with a passphrase has it asked for on the terminal where the command allows it (passphrasePrompt.ts):
// once per process, however many sessions it opens.
import { createHash } from "node:crypto";
import { unwrapFileKey, type Decryption } from "./ageCrypto.ts";
import { READING_KEY_HINT, readingKey } from "./atRestSettings.ts";
import { openAgeFile, type EncryptedFile } from "./encryptedFile.ts";
import { askPassphrase, canAskPassphrase } from "./passphrasePrompt.ts";

/** An encrypted session with no key set to open it. */
export class KeyNeededError extends Error {}

const fileKeys = new Map<string, Uint8Array>();
let asked: Promise<Decryption> | null = null;
/** The stanza a passphrase (scrypt) recipient writes in an age header. */
const SCRYPT_STANZA = "\n-> scrypt ";

export async function openEncryptedFile(file: string): Promise<EncryptedFile> {
  const set = await readingKey();
  return openAgeFile(file, async (header) => {
    const how = set ?? (header.includes(SCRYPT_STANZA) && canAskPassphrase() ? await askedPassphrase() : null);
    if (!how) throw new KeyNeededError(`${file} is encrypted with age: ${READING_KEY_HINT}`);
    const id = cacheKey(how, header);
    let key = fileKeys.get(id);
    if (!key) fileKeys.set(id, (key = await unwrapFileKey(header, how, file)));
    return key;
  });
}

/** A header's file key is kept under the key that opened it: another identity set later must open it itself. */
function cacheKey(how: Decryption, header: Buffer): string {
  return createHash("sha256").update(JSON.stringify(how)).update("\0").update(header).digest("hex");
}

function askedPassphrase(): Promise<Decryption> {
  asked ??= askPassphrase("passphrase of the encrypted sessions: ").then((passphrase) => ({ passphrase }));
  return asked;
}
