// `shearwater import PATH… [--format claude|gemini|codex] [--json]`: Claude Code, Gemini CLI and Codex CLI
// transcripts into sealed sessions of the logs folder, one per transcript file; importing again adds only what is new.
import { Option, type Command } from "commander";
import { importTranscripts, type FileImport } from "../../transcripts/importer.ts";
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
\`view --checkpoint ID\`, \`search --all\`, \`export --session ID\`). Importing a file again adds nothing, or only
the lines it gained since.`,
    );
  withLogs(cmd).action(async (paths: string[], flags: ImportFlags) => {
    const results = await importTranscripts(logsDirOf(flags), paths, { format: flags.format });
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
