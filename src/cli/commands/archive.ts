// `shearwater archive push --to URL [--follow] [--json]`, `archive status --to URL [--json]`, `archive migrate --to URL`:
// a logs folder shipped to the team archive (PostgreSQL, or a SQLite file), what the archive holds per source, and
// its schema. No message ever shows a password: URLs are written redacted.
import type { Command } from "commander";
import { parseArchiveUrl, redact, resolveArchiveUrl } from "../../archive/archiveUrl.ts";
import type { SourceStatus } from "../../archive/archiveStore.ts";
import { migrateArchive, openArchive } from "../../archive/openArchive.ts";
import { push } from "../../archive/pushLoop.ts";
import type { PushTotals } from "../../archive/pusher.ts";
import { UsageError } from "../../config.ts";
import { sanitizeForTerminal } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { formatTable } from "../table.ts";
import { logsDirOf, withLogs } from "../options.ts";

interface ArchiveOptions {
  to?: string;
  json?: boolean;
  follow?: boolean;
  logs?: string;
}

const URL_HELP = "the archive: postgres://USER@HOST:PORT/DATABASE[?sslmode=…] or sqlite:PATH (env SHEARWATER_ARCHIVE)";

export function register(program: Command): void {
  const archive = program
    .command("archive")
    .description("the team archive: push a logs folder to PostgreSQL (or a SQLite file), see what it holds")
    .addHelpText(
      "after",
      `
Passwords: put them in PGPASSWORD or ~/.pgpass rather than in the URL (a URL is visible in the process list);
every message writes URLs without them.`,
    );

  withLogs(
    archive
      .command("push")
      .description("ship every record and checkpoint of the logs folder not in the archive yet (each record once)")
      .option("--to <url>", URL_HELP)
      .option("-f, --follow", "keep shipping new records as they are written (within a second), until Ctrl+C")
      .option("--json", "print what was pushed as JSON (one line per pass with --follow)"),
  ).action((opts: ArchiveOptions) => runPush(opts));

  archive
    .command("status")
    .description("what the archive holds per source (host and logs folder), and how far behind each is")
    .option("--to <url>", URL_HELP)
    .option("--json", "print the sources as a JSON array")
    .action((opts: ArchiveOptions) => runStatus(opts));

  archive
    .command("migrate")
    .description("create or upgrade the archive's schema (push does it on first use when its user may)")
    .option("--to <url>", URL_HELP)
    .option("--json", "print the versions as JSON")
    .action((opts: ArchiveOptions) => runMigrate(opts));
}

function urlOf(opts: ArchiveOptions): string {
  const url = resolveArchiveUrl(opts.to);
  if (!url) throw new UsageError("which archive? give --to URL (or set SHEARWATER_ARCHIVE)");
  parseArchiveUrl(url);
  return url;
}

async function runPush(opts: ArchiveOptions): Promise<void> {
  const url = urlOf(opts);
  const started = Date.now();
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await push({
      logsDir: logsDirOf(opts),
      url,
      follow: opts.follow,
      signal: ac.signal,
      onPass: (totals, info) => report(totals, { ...info, elapsed_ms: Date.now() - started }, opts),
      onRetry: (err, retryInMs) => process.stderr.write(`shearwater: ${sanitizeForTerminal(redact(err.message))}; trying again in ${(retryInMs / 1000).toFixed(1)} s\n`),
    });
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

function report(totals: PushTotals, info: { archive: string; source: { id: string; host: string; folder: string }; elapsed_ms: number }, opts: ArchiveOptions): void {
  for (const l of totals.locked) process.stderr.write(`shearwater: not pushed: ${sanitizeForTerminal(l.error)}\n`);
  if (totals.locked.length > 0) process.exitCode = 1;
  if (opts.json) {
    process.stdout.write(`${terminalJson({ archive: info.archive, source: info.source, ...totals, elapsed_ms: info.elapsed_ms })}\n`);
    return;
  }
  const damaged = totals.damaged > 0 ? `, ${totals.damaged} damaged lines left in the logs folder` : "";
  process.stdout.write(
    sanitizeForTerminal(
      `pushed ${totals.records} records of ${totals.sessions} sessions and ${totals.checkpoints} checkpoints to ${info.archive} (source ${info.source.id}, ${info.source.host}:${info.source.folder})${damaged}`,
    ) + "\n",
  );
}

async function runStatus(opts: ArchiveOptions): Promise<void> {
  const store = await openArchive(urlOf(opts), "read");
  let sources: SourceStatus[];
  try {
    sources = await store.sources();
  } finally {
    await store.close();
  }
  if (opts.json) {
    process.stdout.write(`${terminalJson(sources)}\n`);
    return;
  }
  if (sources.length === 0) {
    process.stderr.write(`the archive ${sanitizeForTerminal(store.location.shown)} holds no source yet\n`);
    return;
  }
  const rows = sources.map((s) => [
    s.host,
    s.folder,
    s.id.slice(0, 8),
    String(s.sessions),
    String(s.records),
    String(s.checkpoints),
    s.lastRecordAt ?? "-",
    s.lastPushAt ?? "-",
    s.behindBytes > 0 ? `${s.behindBytes} bytes` : "up to date",
  ]);
  const columns = [
    { title: "host" },
    { title: "folder" },
    { title: "source" },
    { title: "sessions", right: true },
    { title: "records", right: true },
    { title: "checkpoints", right: true },
    { title: "last record" },
    { title: "last push" },
    { title: "behind (at last push)" },
  ];
  process.stdout.write(formatTable(columns, rows));
}

async function runMigrate(opts: ArchiveOptions): Promise<void> {
  const done = await migrateArchive(urlOf(opts));
  if (opts.json) {
    process.stdout.write(`${terminalJson(done)}\n`);
    return;
  }
  const what = done.from === done.to ? `already at schema version ${done.to}` : `schema version ${done.from} → ${done.to}`;
  process.stdout.write(`${sanitizeForTerminal(done.archive)}: ${what}\n`);
}
