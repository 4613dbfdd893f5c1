// `shearwater compact [--encrypt-to R|@FILE … | --passphrase-file F | --passphrase] [--no-compress] [--json]`: compresses (and, when
// asked, encrypts) the sealed sessions of a logs folder (src/compact/compact.ts). Exit 1 when a session could not be
// stored so (it stays as it was, and readable). Every run's outcome is kept for `status` and the TUI (compactState.ts);
// with --quiet (the run after a seal, whose stderr is recorder.log) only failures are printed.
import fs from "node:fs/promises";
import { Option, type Command } from "commander";
import { compactLogs, CompactionRunningError, type CompactResult } from "../../compact/compact.ts";
import { writeLastCompaction, type CompactionOutcome } from "../../compact/compactState.ts";
import { UsageError } from "../../config.ts";
import { encryptionSetting } from "../../crypto/atRestSettings.ts";
import { allowPassphrasePrompt, askPassphrase, canAskPassphrase } from "../../crypto/passphrasePrompt.ts";
import { logsPaths } from "../../storage/logsDir.ts";
import { sanitizeForTerminal } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { logsDirOf, withLogs } from "../options.ts";

interface CompactFlags {
  logs?: string;
  json?: boolean;
  quiet?: boolean;
  compress: boolean;
  encryptTo?: string[];
  passphraseFile?: string;
  passphrase?: boolean;
  dropIndex?: boolean;
}

/** `--drop-index`, or SHEARWATER_ENCRYPTED_INDEX=drop (the setting a compaction after a seal goes by). */
function dropIndexOf(flags: CompactFlags): boolean {
  return flags.dropIndex === true || (process.env.SHEARWATER_ENCRYPTED_INDEX ?? "").trim().toLowerCase() === "drop";
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
const sessions = (n: number) => `${n} session${n === 1 ? "" : "s"}`;

function describe(r: CompactResult): string {
  const size = r.compacted.reduce((n, s) => n + s.size, 0);
  const stored = r.compacted.reduce((n, s) => n + s.stored, 0);
  const encrypted = r.compacted.filter((s) => s.encrypted).length;
  const compressed = r.compacted.filter((s) => s.compressed).length;
  const what = [compressed && `compressed ${sessions(compressed)}`, encrypted && `encrypted ${sessions(encrypted)}`].filter(Boolean).join(", ");
  const lines = [
    r.compacted.length === 0
      ? "nothing to compress"
      : `${what}: ${mib(size)} → ${mib(stored)} (${(size / Math.max(stored, 1)).toFixed(1)}×)`,
    ...r.skipped.map((s) => `skipped ${s.file}: ${s.reason}`),
    ...r.failed.map((f) => `failed ${f.file}: ${f.error}`),
  ];
  return lines.map((l) => sanitizeForTerminal(l)).join("\n") + "\n";
}

export function register(program: Command): void {
  const cmd = program
    .command("compact")
    .description("compress the sealed sessions, and encrypt them with age when asked (they stay browsable, searchable and their checkpoints verify)")
    .addOption(
      new Option("--encrypt-to <recipient>", "encrypt with age to this recipient (age1…) or the recipients in @FILE, repeatable (env SHEARWATER_ENCRYPT_TO, comma-separated)")
        .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
    )
    .option("--passphrase-file <file>", "encrypt with age and the passphrase on this file's first line (env SHEARWATER_PASSPHRASE_FILE or SHEARWATER_PASSPHRASE)")
    .option("--passphrase", "encrypt with age and a passphrase asked for on the terminal (twice, not shown), as `age -p`")
    .option("--no-compress", "encrypt plain sessions as they are (.jsonl.age) instead of compressing them first")
    .option("--drop-index", "once a session is encrypted, delete the search index (its words in plaintext); it is rebuilt from what can be read (env SHEARWATER_ENCRYPTED_INDEX=drop)")
    .option("--json", "print {compacted, skipped, failed} as JSON")
    .option("--quiet", "print only what failed, with its time; exit 0 when another compaction is running (used after a session is sealed)");
  withLogs(cmd).action(async (opts: CompactFlags) => {
    if (!opts.quiet) allowPassphrasePrompt(); // a run after a seal has no one at a terminal
    // Over a file-size limit a write must fail with EFBIG, kept as the run's outcome, not kill the run (SIGXFSZ).
    if (process.platform !== "win32") process.on("SIGXFSZ", () => {});
    const logsDir = logsDirOf(opts);
    let result: CompactResult;
    try {
      const { encryptTo, passphraseFile } = opts;
      const encryption = await encryptionSetting({ encryptTo, passphraseFile, ...(opts.passphrase ? { passphrase: await newPassphrase() } : {}) });
      result = await compactLogs(logsDir, { encryption, compress: opts.compress, dropIndex: dropIndexOf(opts) });
    } catch (err) {
      if (err instanceof CompactionRunningError) {
        if (opts.quiet) return;
        throw err;
      }
      const error = (err as Error).message;
      await keepOutcome(logsDir, { at: new Date().toISOString(), ok: false, compacted: 0, failed: [], error });
      if (!opts.quiet) throw err;
      logLine(error);
      process.exitCode = 1;
      return;
    }
    await keepOutcome(logsDir, { at: new Date().toISOString(), ok: result.failed.length === 0, compacted: result.compacted.length, failed: result.failed });
    if (opts.quiet) for (const f of result.failed) logLine(`failed ${f.file}: ${f.error}`);
    else process.stdout.write(opts.json ? terminalJson(result, 2) + "\n" : describe(result));
    if (result.failed.length > 0) process.exitCode = 1;
  });
}

/** A passphrase typed twice at the terminal. */
async function newPassphrase(): Promise<string> {
  if (!canAskPassphrase()) throw new UsageError("--passphrase asks on a terminal: use --passphrase-file F (or SHEARWATER_PASSPHRASE_FILE) elsewhere");
  const passphrase = await askPassphrase("passphrase to encrypt the sealed sessions with: ");
  if ((await askPassphrase("the same passphrase again: ")) !== passphrase) throw new UsageError("the two passphrases typed differ");
  return passphrase;
}

/** Kept where `status` reads it: only in a logs folder (one gone since the seal, or a mistyped --logs, gets no file). */
async function keepOutcome(logsDir: string, outcome: CompactionOutcome): Promise<void> {
  if (!(await fs.stat(logsPaths(logsDir).sessions).then((st) => st.isDirectory(), () => false))) return;
  await writeLastCompaction(logsDir, outcome).catch((err: Error) => {
    process.stderr.write(`shearwater: the compaction's outcome was not kept: ${sanitizeForTerminal(err.message)}\n`);
  });
}

/** A line of recorder.log (the stderr of a compaction after a seal): when, and that compaction says it. */
function logLine(text: string): void {
  process.stderr.write(`${new Date().toISOString()} shearwater compact: ${sanitizeForTerminal(text)}\n`);
}
