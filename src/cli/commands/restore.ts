// `shearwater restore SRC --logs DIR [--identity FILE | --passphrase-file F] [--json]` (src/backup/restore.ts).
import type { Command } from "commander";
import { readIdentityFile, readPassphraseFile, type Decryption } from "../../crypto/ageCrypto.ts";
import { restoreBackup } from "../../backup/restore.ts";
import { UsageError } from "../../config.ts";
import { sanitizeForTerminal } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";

interface RestoreFlags {
  logs?: string;
  identity?: string;
  passphraseFile?: string;
  json?: boolean;
}

async function keyOf(flags: RestoreFlags): Promise<Decryption | null> {
  if (flags.identity && flags.passphraseFile) throw new UsageError("--identity and --passphrase-file: one or the other");
  if (flags.identity) return { identities: await readIdentityFile(flags.identity) };
  if (flags.passphraseFile) return { passphrase: await readPassphraseFile(flags.passphraseFile) };
  return null;
}

export function register(program: Command): void {
  program
    .command("restore")
    .description("restore the newest backup at SRC into a new or empty logs folder, byte for byte")
    .argument("<src>", "the folder or rclone remote given to backup")
    .requiredOption("--logs <dir>", "the logs folder to rebuild (must not exist, or be empty)")
    .option("--identity <file>", "age identity file (age-keygen) of an encrypted backup")
    .option("--passphrase-file <file>", "the passphrase of an encrypted backup, on the file's first line")
    .option("--json", "print the result as JSON")
    .action(async (src: string, flags: RestoreFlags) => {
      const result = await restoreBackup(src, flags.logs!, await keyOf(flags));
      process.stdout.write(
        flags.json ? terminalJson(result, 2) + "\n" : sanitizeForTerminal(`restored backup ${result.id}: ${result.files} files, ${result.bytes} bytes into ${result.dir}`) + "\n",
      );
    });
}
