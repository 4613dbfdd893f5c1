// Encryption with age (the age-encryption package, typage): X25519 recipients (`age1…`) or a passphrase (scrypt), for
// backups' objects and sealed sessions at rest alike. Every file is a standard age file: `age -d` decrypts any of them.
import * as age from "age-encryption";
import fs from "node:fs/promises";

export type Encryption = { recipients: string[] } | { passphrase: string };

export class WrongKeyError extends Error {}

/** The first line of a passphrase file (a trailing newline is not part of the passphrase). */
export async function readPassphraseFile(file: string): Promise<string> {
  const text = await fs.readFile(file, "utf8");
  const passphrase = text.split(/\r?\n/)[0];
  if (!passphrase) throw new Error(`${file} holds no passphrase on its first line`);
  return passphrase;
}

/** The identities (`AGE-SECRET-KEY-1…` lines) of an age identity file, as age-keygen writes it. */
export async function readIdentityFile(file: string): Promise<string[]> {
  const keys = (await fs.readFile(file, "utf8")).split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith("AGE-SECRET-KEY-"));
  if (keys.length === 0) throw new Error(`${file} holds no age identity (an AGE-SECRET-KEY-1… line)`);
  return keys;
}

export async function encrypt(data: Buffer, how: Encryption): Promise<Buffer> {
  const e = new age.Encrypter();
  if ("passphrase" in how) e.setPassphrase(how.passphrase);
  else for (const r of how.recipients) e.addRecipient(r);
  return Buffer.from(await e.encrypt(data));
}

export type Decryption = { identities: string[] } | { passphrase: string };

function decrypterOf(how: Decryption): age.Decrypter {
  const d = new age.Decrypter();
  if ("passphrase" in how) d.addPassphrase(how.passphrase);
  else for (const id of how.identities) d.addIdentity(id);
  return d;
}

function wrongKey(what: string, how: Decryption, err: unknown): WrongKeyError {
  return new WrongKeyError(`${what} cannot be decrypted with the ${"passphrase" in how ? "passphrase" : "identity"} given: ${(err as Error).message}`);
}

export async function decrypt(data: Buffer, how: Decryption, what: string): Promise<Buffer> {
  try {
    return Buffer.from(await decrypterOf(how).decrypt(data));
  } catch (err) {
    throw wrongKey(what, how, err);
  }
}

/** The message age-encryption gives when no identity or passphrase opens a header (any other failure is damage). */
const NO_MATCH = "no identity matched";

export class DamagedAgeHeaderError extends Error {}

/**
 * The file key of an age file from its header alone (the text up to and including the `---` line), its MAC checked:
 * what random access to the payload needs (see ageStream.ts). WrongKeyError when no identity opens it,
 * DamagedAgeHeaderError when the header itself is not sound.
 */
export async function unwrapFileKey(header: Buffer, how: Decryption, what: string): Promise<Uint8Array> {
  try {
    return await decrypterOf(how).decryptHeader(header);
  } catch (err) {
    if ((err as Error).message.includes(NO_MATCH)) throw wrongKey(what, how, err);
    throw new DamagedAgeHeaderError(`${what}: its age header is damaged (${(err as Error).message})`);
  }
}

/** A recipient that age-encryption accepts, checked before anything is written. */
export function checkRecipient(recipient: string): void {
  try {
    new age.Encrypter().addRecipient(recipient);
  } catch (err) {
    throw new Error(`"${recipient}" is not an age recipient (age1…): ${(err as Error).message}`);
  }
}
