// `shearwater export (--session ID | --checkpoint ID | --current) [--format md|html|jsonl] [--out FILE]
// [--no-redact]`: a conversation for reading or handing on, secrets redacted unless --no-redact.
import { Option, type Command } from "commander";
import { UsageError } from "../../config.ts";
import { EXPORT_FORMATS, type ExportFormatName } from "../../export/formats.ts";
import { exportConversation, type ExportSource, type Sink } from "../../export/exporter.ts";
import { redactionText } from "../../export/redact.ts";
import { openPrivate } from "../../storage/privateFile.ts";
import { logsDirOf, withLogs } from "../options.ts";
import { allowPassphrasePrompt } from "../../crypto/passphrasePrompt.ts";

interface ExportFlags {
  session?: string;
  checkpoint?: string;
  current?: boolean;
  format: ExportFormatName;
  out?: string;
  redact: boolean;
  logs?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command("export")
    .description("a session, checkpoint or the active session as Markdown, HTML or JSONL, secrets redacted")
    .option("--session <id>", "export this session (active or sealed; `shearwater import` prints the ids)")
    .option("--checkpoint <id>", "export this checkpoint's conversation")
    .option("--current", "export the active session")
    .addOption(new Option("--format <format>", "md (Markdown), html (one self-contained page) or jsonl (the records)").choices([...EXPORT_FORMATS]).default("md"))
    .option("--out <file>", "write to this file (created owner-only) instead of stdout")
    .option("--no-redact", "keep secrets (API keys, tokens, passwords, private keys) instead of masking them")
    .addHelpText("after", "\nHow many secrets were redacted, and of which kinds, is said on stderr.");
  withLogs(cmd).action((flags: ExportFlags) => {
    allowPassphrasePrompt();
    return runExport(flags);
  });
}

async function runExport(flags: ExportFlags): Promise<void> {
  const chosen = [flags.session && "--session", flags.checkpoint && "--checkpoint", flags.current && "--current"].filter(Boolean);
  if (chosen.length !== 1) throw new UsageError(chosen.length === 0 ? "say what to export: --session ID, --checkpoint ID or --current" : `use one of ${chosen.join(", ")}`);
  const source: ExportSource = flags.session ? { session: flags.session } : flags.checkpoint ? { checkpoint: flags.checkpoint } : "current";
  const out = flags.out ? await openPrivate(flags.out, "w") : null;
  const sink: Sink = out ? (chunk) => out.write(chunk).then(() => {}) : stdoutSink;
  try {
    const result = await exportConversation(logsDirOf(flags), source, { format: flags.format, redact: flags.redact }, sink);
    const what = `${result.messages} messages`;
    process.stderr.write(`exported ${what}${flags.out ? ` to ${flags.out}` : ""}; ${result.redactions ? redactionText(result.redactions) : "not redacted (--no-redact)"}\n`);
  } finally {
    await out?.close();
  }
}

const stdoutSink: Sink = (chunk) =>
  new Promise((resolve, reject) => {
    if (chunk === "") return resolve();
    process.stdout.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
