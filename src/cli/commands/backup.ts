// `shearwater backup DEST [--encrypt-to R | --passphrase-file F] [--keep N] [--json]` (src/backup/backup.ts).
import { Option, type Command } from "commander";
import { checkRecipient, readPassphraseFile, type Encryption } from "../../crypto/ageCrypto.ts";
import { backupLogs, type BackupReport } from "../../backup/backup.ts";
import { UsageError } from "../../config.ts";
import { sanitizeForTerminal } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { logsDirOf, withLogs } from "../options.ts";

interface BackupFlags {
  logs?: string;
  encryptTo?: string[];
  passphraseFile?: string;
  keep?: string;
  json?: boolean;
}

async function encryptionOf(flags: BackupFlags): Promise<Encryption | null> {
  if (flags.encryptTo && flags.passphraseFile) throw new UsageError("--encrypt-to and --passphrase-file: one or the other");
  if (flags.passphraseFile) return { passphrase: await readPassphraseFile(flags.passphraseFile) };
  if (!flags.encryptTo) return null;
  for (const r of flags.encryptTo) {
    try {
      checkRecipient(r);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  return { recipients: flags.encryptTo };
}

function keepOf(flags: BackupFlags): number | undefined {
  const text = flags.keep ?? process.env.SHEARWATER_BACKUP_KEEP;
  if (text === undefined || text === "") return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--keep takes a whole number of backups, at least 1 (got "${text}")`);
  return n;
}

function describe(r: BackupReport): string {
  const mib = (r.new_bytes / 1024 ** 2).toFixed(1);
  const removed = r.removed.length ? `; removed ${r.removed.length} older backup${r.removed.length === 1 ? "" : "s"}` : "";
  return sanitizeForTerminal(`backup ${r.id} to ${r.dest}: ${r.files} files, ${mib} MiB new, verified, in ${r.ms} ms${removed}`) + "\n";
}

export function register(program: Command): void {
  const cmd = program
    .command("backup")
    .description("incremental, verified backup of the logs folder to a folder or an rclone remote (remote:path)")
    .argument("<dest>", "a folder, or an rclone remote such as s3:bucket/shearwater")
    .addOption(
      new Option("--encrypt-to <recipient>", "encrypt with age for this recipient (age1…), repeatable").argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
    )
    .option("--passphrase-file <file>", "encrypt with age and the passphrase on this file's first line")
    .option("--keep <n>", "keep the last N backups at DEST (env SHEARWATER_BACKUP_KEEP; default all)")
    .option("--json", "print the result as JSON");
  withLogs(cmd).action(async (dest: string, flags: BackupFlags) => {
    const result = await backupLogs(logsDirOf(flags), dest, { encryption: await encryptionOf(flags), keep: keepOf(flags) });
    process.stdout.write(flags.json ? terminalJson(result, 2) + "\n" : describe(result));
  });
}
