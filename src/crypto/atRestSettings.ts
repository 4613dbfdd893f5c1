// The settings of encryption at rest. Writing (compaction, after a seal): `--encrypt-to RECIPIENT|@FILE` (repeatable)
// or SHEARWATER_ENCRYPT_TO (comma-separated), else a passphrase: `--passphrase-file F`, SHEARWATER_PASSPHRASE_FILE or
// SHEARWATER_PASSPHRASE. Reading (every command, the TUI): SHEARWATER_AGE_IDENTITY (an identity file, as age-keygen
// writes it) or the same passphrase settings. A secret is never a flag's value: a command line is seen by `ps`.
import fs from "node:fs/promises";
import { UsageError } from "../config.ts";
import { listOf } from "./atRestEnv.ts";
import { checkRecipient, readIdentityFile, readPassphraseFile, type Decryption, type Encryption } from "./ageCrypto.ts";

export interface EncryptionFlags {
  encryptTo?: string[];
  passphraseFile?: string;
  /** One typed at the terminal (compact --passphrase). */
  passphrase?: string;
}

/** What sealed sessions are encrypted to, or null when encryption at rest is not asked for. */
export async function encryptionSetting(flags: EncryptionFlags = {}, env: NodeJS.ProcessEnv = process.env): Promise<Encryption | null> {
  const listed = flags.encryptTo ?? listOf(env.SHEARWATER_ENCRYPT_TO);
  const passphrase = flags.passphrase ?? (flags.passphraseFile ? await readPassphraseFile(flags.passphraseFile) : await passphraseOf(env));
  if (listed.length > 0 && passphrase !== null) {
    throw new UsageError("encryption at rest takes recipients (--encrypt-to, SHEARWATER_ENCRYPT_TO) or a passphrase, not both");
  }
  if (passphrase !== null) return { passphrase };
  if (listed.length === 0) return null;
  const recipients = (await Promise.all(listed.map(recipientsOf))).flat();
  for (const r of recipients) {
    try {
      checkRecipient(r);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  return { recipients };
}

/** What encrypted sessions are opened with, or null when nothing is set. */
export async function readingKey(env: NodeJS.ProcessEnv = process.env): Promise<Decryption | null> {
  const identity = env.SHEARWATER_AGE_IDENTITY;
  if (identity) return { identities: await fromSetting("SHEARWATER_AGE_IDENTITY", () => readIdentityFile(identity)) };
  const passphrase = await passphraseOf(env);
  return passphrase === null ? null : { passphrase };
}

/**
 * The at-rest settings of the environment, checked as the compaction after a seal will read them (recipients,
 * passphrase, identity file): whoever starts that compaction checks them first, so a bad setting is bad usage at
 * its start, not a failure in the background that nobody sees.
 */
export async function checkAtRestSettings(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await encryptionSetting({}, env);
    await readingKey(env);
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(`encryption at rest: ${(err as Error).message}`);
  }
}

export const READING_KEY_HINT =
  "set SHEARWATER_AGE_IDENTITY to an age identity file that opens it, or SHEARWATER_PASSPHRASE_FILE (or SHEARWATER_PASSPHRASE) to its passphrase";

async function passphraseOf(env: NodeJS.ProcessEnv): Promise<string | null> {
  const file = env.SHEARWATER_PASSPHRASE_FILE;
  if (file) return fromSetting("SHEARWATER_PASSPHRASE_FILE", () => readPassphraseFile(file));
  return env.SHEARWATER_PASSPHRASE ? env.SHEARWATER_PASSPHRASE : null;
}

/** What the file a setting names holds; an error reading it names the setting. */
async function fromSetting<T>(name: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`);
  }
}

/** A recipient, or `@FILE`: the recipients in a file, one a line (`#` comments and blank lines left out), as `age -R`. */
async function recipientsOf(entry: string): Promise<string[]> {
  if (!entry.startsWith("@")) return [entry];
  const file = entry.slice(1);
  const text = await fs.readFile(file, "utf8").catch((err: Error) => {
    throw new UsageError(`cannot read the recipients file ${file}: ${err.message}`);
  });
  const found = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  if (found.length === 0) throw new UsageError(`${file} lists no age recipient (age1… lines)`);
  return found;
}
