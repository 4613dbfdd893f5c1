// `shearwater import PATH… [--format claude|gemini|codex] [--json]`: Claude Code, Gemini CLI and Codex CLI
// transcripts into sealed sessions of the logs folder, one per transcript file; importing again adds only what is new.
import { Option, type Command } from "commander";
import { compactInBackground } from "../../compact/autoCompact.ts";
import { importTranscripts, type FileImport, type ImportStatus } from "../../transcripts/importer.ts";
import { FORMATS, SOURCE_TOPICS, type TranscriptFormat } from "../../transcripts/types.ts";
import { sanitizeForTerminal } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { logsDirOf, withLogs } from "../options.ts";
import { formatTable, type Column } from "../table.ts";

interface ImportFlags {
  format?: TranscriptFormat;
  json?: boolean;
  logs?: string;
}

/** What an import did that left a sealed session with new bytes. */
const WROTE = new Set<ImportStatus>(["new", "grown", "replaced"]);

const COLUMNS: Column[] = [
  { title: "status" },
  { title: "source" },
  { title: "records", right: true },
  { title: "messages", right: true },
  { title: "tools", right: true },
  { title: "session" },
  { title: "file" },
];

export function register(program: Command): void {
  const cmd = program
    .command("import")
    .description("import Claude Code, Gemini CLI and Codex CLI transcripts (files or folders) into sealed sessions")
    .argument("<path...>", "transcript files, or folders searched for them (e.g. ~/.claude/projects)")
    .addOption(new Option("--format <format>", "read every file as this format instead of detecting it").choices([...FORMATS]))
    .option("--json", "print what was imported, per file, as JSON")
    .addHelpText(
      "after",
      `
Each transcript file becomes one session under sessions/, with a checkpoint of it (listed by \`shearwater checkpoints\`;
\`view --session ID\`, \`search --all\`, \`export --session ID\`). Importing a file again adds nothing, or only
the lines it gained since. The sessions are then compressed in the background, as every sealed session is
(SHEARWATER_AUTO_COMPACT=off: not).`,
    );
  withLogs(cmd).action(async (paths: string[], flags: ImportFlags) => {
    const logsDir = logsDirOf(flags);
    const results = await importTranscripts(logsDir, paths, { format: flags.format });
    // Imported sessions are sealed sessions: compacted after the import as after any seal (SHEARWATER_AUTO_COMPACT).
    if (results.some((r) => WROTE.has(r.status))) compactInBackground(logsDir);
    if (results.some((r) => r.status === "failed")) process.exitCode = 1;
    if (flags.json) {
      process.stdout.write(`${terminalJson(results, 2)}\n`);
      return;
    }
    if (results.length === 0) {
      process.stderr.write("no transcript files found\n");
      return;
    }
    process.stdout.write(formatTable(COLUMNS, results.map(row)));
    for (const r of results) if (r.reason) process.stderr.write(`${sanitizeForTerminal(`${r.status}: ${r.file}: ${r.reason}`)}\n`);
  });
}

function row(r: FileImport): string[] {
  const source = r.format ? SOURCE_TOPICS[r.format] : "-";
  return [r.status, source, String(r.records), String(r.messages), String(r.tool_calls), r.session ?? "-", r.file];
}
