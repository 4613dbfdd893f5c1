// `shearwater checkpoints [--json]`: the checkpoints, newest first, and the active session above them, each with its
// id (what `view`/`search --checkpoint` and `launch --load` take) and its session.
import type { Command } from "commander";
import { currentSessionSummary } from "../../control/sessionSummary.ts";
import { listCheckpoints } from "../../storage/checkpoints.ts";
import { sanitizeForTerminal } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { logsDirOf, withLogs } from "../options.ts";
import { formatTable, type Column } from "../table.ts";

export function register(program: Command): void {
  const cmd = program
    .command("checkpoints")
    .description("list checkpoints, newest first (the active session first), with the ids that view, search and launch take")
    .option("--json", "print {current, checkpoints} as JSON");
  withLogs(cmd).action(async (opts: { json?: boolean; logs?: string }) => {
    const logsDir = logsDirOf(opts);
    const [current, checkpoints] = await Promise.all([currentSessionSummary(logsDir), listCheckpoints(logsDir, warnUnreadable)]);
    if (opts.json) {
      process.stdout.write(terminalJson({ current, checkpoints: checkpoints.map(({ file: _f, ...c }) => c) }, 2) + "\n");
      return;
    }
    if (!current && checkpoints.length === 0) {
      process.stdout.write(`no sessions or checkpoints in ${sanitizeForTerminal(logsDir)}\n`);
      return;
    }
    const rows = checkpoints.map((c) => row(c.id, c.created_at, c.messages, c.bytes, c.session, c.label));
    if (current) rows.unshift(row("(current)", current.updated_at, current.messages, current.bytes, current.session, "the active session"));
    process.stdout.write(formatTable(COLUMNS, rows));
  });
}

const COLUMNS: Column[] = [
  { title: "ID" },
  { title: "TIME (UTC)" },
  { title: "MESSAGES", right: true },
  { title: "SIZE", right: true },
  { title: "SESSION" },
  { title: "LABEL" },
];

function warnUnreadable(file: string, reason: string): void {
  process.stderr.write(`shearwater: skipping unreadable checkpoint ${sanitizeForTerminal(file)}: ${sanitizeForTerminal(reason)}\n`);
}

/** `20261201T100500123Z_manual  2026-12-01 10:05  2349  1.20 MiB  20261201T100000Z-3fa9  manual`. */
function row(id: string, iso: string, messages: number, bytes: number, session: string, label: string): string[] {
  return [id, `${iso.slice(0, 10)} ${iso.slice(11, 16)}`, String(messages), `${(bytes / 1024 ** 2).toFixed(2)} MiB`, session, label];
}
