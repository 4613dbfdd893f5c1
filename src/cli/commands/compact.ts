// `shearwater compact [--json]`: compresses the sealed sessions of a logs folder (src/compact/compact.ts). Exit 1 when
// a session could not be compressed (it stays as it was, plain and readable).
import type { Command } from "commander";
import { compactLogs, CompactionRunningError, type CompactResult } from "../../compact/compact.ts";
import { sanitizeForTerminal } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { logsDirOf, withLogs } from "../options.ts";

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

function describe(r: CompactResult): string {
  const size = r.compacted.reduce((n, s) => n + s.size, 0);
  const stored = r.compacted.reduce((n, s) => n + s.stored, 0);
  const lines = [
    r.compacted.length === 0
      ? "nothing to compress"
      : `compressed ${r.compacted.length} session${r.compacted.length === 1 ? "" : "s"}: ${mib(size)} → ${mib(stored)} (${(size / Math.max(stored, 1)).toFixed(1)}×)`,
    ...r.skipped.map((s) => `skipped ${s.file}: ${s.reason}`),
    ...r.failed.map((f) => `failed ${f.file}: ${f.error}`),
  ];
  return lines.map((l) => sanitizeForTerminal(l)).join("\n") + "\n";
}

export function register(program: Command): void {
  const cmd = program
    .command("compact")
    .description("compress the sealed sessions (they stay browsable, searchable and their checkpoints verify)")
    .option("--json", "print {compacted, skipped, failed} as JSON")
    .option("--quiet", "print nothing, exit 0 when another compaction is running (used after a session is sealed)");
  withLogs(cmd).action(async (opts: { logs?: string; json?: boolean; quiet?: boolean }) => {
    let result: CompactResult;
    try {
      result = await compactLogs(logsDirOf(opts));
    } catch (err) {
      if (opts.quiet && err instanceof CompactionRunningError) return;
      throw err;
    }
    if (!opts.quiet) process.stdout.write(opts.json ? terminalJson(result, 2) + "\n" : describe(result));
    if (result.failed.length > 0) process.exitCode = 1;
  });
}
