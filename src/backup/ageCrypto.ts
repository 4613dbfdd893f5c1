// Encryption of backups with age (the age-encryption package, typage): X25519 recipients (`age1…`) or a passphrase
// (scrypt). Every object is a standard age file, so the `age` command-line tool decrypts any of them.
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

export async function decrypt(data: Buffer, how: Decryption, what: string): Promise<Buffer> {
  const d = new age.Decrypter();
  if ("passphrase" in how) d.addPassphrase(how.passphrase);
  else for (const id of how.identities) d.addIdentity(id);
  try {
    return Buffer.from(await d.decrypt(data));
  } catch (err) {
    throw new WrongKeyError(`${what} cannot be decrypted with the ${"passphrase" in how ? "passphrase" : "identity"} given: ${(err as Error).message}`);
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
