// `shearwater report [--since T] [--until T] [--checkpoint ID | --session ID | --all | --archive [URL] [--host H]
// [--origin O]] [--json | --md | --html FILE] [--prices FILE] [--price MODEL=IN,OUT,…]`: what the agents did, as bar
// charts on the terminal, JSON, Markdown or one self-contained HTML page.
import fs from "node:fs/promises";
import { Option, type Command } from "commander";
import { archiveUrlOf } from "../../archive/archiveReading.ts";
import { UsageError } from "../../config.ts";
import { makeArchiveReport } from "../../report/archiveReport.ts";
import { htmlReport } from "../../report/htmlReport.ts";
import { makeReport } from "../../report/makeReport.ts";
import { markdownReport } from "../../report/markdownReport.ts";
import { defaultPrices, parsePriceFlag, parsePricesFile, PriceError, type Price, type PriceTable } from "../../report/prices.ts";
import type { Report } from "../../report/report.ts";
import type { TimeRange } from "../../report/reportBuilder.ts";
import { parseTimeFlag, type ReportSource } from "../../report/reportScope.ts";
import { textReport } from "../../report/textReport.ts";
import { lockedSessionsText } from "../../search/sessionFiles.ts";
import { logsPaths } from "../../storage/logsDir.ts";
import { openPrivate } from "../../storage/privateFile.ts";
import { sanitizeForTerminal } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { logsDirOf, withLogs } from "../options.ts";
import { allowPassphrasePrompt } from "../../crypto/passphrasePrompt.ts";

interface ReportFlags {
  since?: string;
  until?: string;
  checkpoint?: string;
  session?: string;
  all?: boolean;
  json?: boolean;
  md?: boolean;
  html?: string;
  prices?: string;
  price?: [string, Price][];
  archive?: string | true;
  host?: string[];
  origin?: string[];
  logs?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command("report")
    .description("analytics of the active session, a checkpoint, every session or a team archive: messages, chains, reply latency, errors, tokens and cost")
    .option("--since <time>", "only records from this time on: an ISO time (2026-11-24T10:00Z) or an age (30m, 2h, 3d)")
    .option("--until <time>", "only records up to this time")
    .option("--checkpoint <id>", "report on this checkpoint's conversation")
    .option("--session <id>", "report on this session (active or sealed; with --archive, the archive's)")
    .option("--all", "report on every session of the logs folder")
    .option("--archive [url]", "report on a team archive instead (URL, or SHEARWATER_ARCHIVE): every source, or those --host and --origin pick")
    .option("--host <name>", "with --archive: only sources of this host (repeatable)", collect)
    .option("--origin <id|folder>", "with --archive: only this source, by its id (or beginning) or its folder's path (repeatable)", collect)
    .option("--json", "print the figures as JSON")
    .option("--md", "print the report as Markdown")
    .option("--html <file>", "write one self-contained HTML page with a chart per section (created owner-only)")
    .option("--prices <file>", "prices replacing the defaults' entries: JSON {\"MODEL\": {input, output, cache_read, cache_write}}, USD per million tokens")
    .addOption(
      new Option("--price <model=in,out[,cache_read[,cache_write]]>", "one model's price, USD per million tokens, repeatable")
        .argParser((value: string, previous: [string, Price][] | undefined) => [...(previous ?? []), priceFlag(value)]),
    )
    .addHelpText("after", "\nA model is priced by the longest price key its name starts with. Tokens come from imported transcripts (meta.tokens).");
  withLogs(cmd).action((flags: ReportFlags) => {
    allowPassphrasePrompt();
    return runReport(flags);
  });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function priceFlag(text: string): [string, Price] {
  try {
    return parsePriceFlag(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function priceTable(flags: ReportFlags): Promise<PriceTable> {
  const table = defaultPrices();
  const changed: string[] = [];
  if (flags.prices) {
    const text = await fs.readFile(flags.prices, "utf8").catch((err: Error) => {
      throw new UsageError(`--prices ${flags.prices}: ${err.message}`);
    });
    try {
      Object.assign(table.models, parsePricesFile(text, flags.prices));
    } catch (err) {
      throw err instanceof PriceError ? new UsageError(err.message) : err;
    }
    changed.push(flags.prices);
  }
  for (const [model, price] of flags.price ?? []) table.models[model] = price;
  if (flags.price?.length) changed.push("--price");
  if (changed.length) table.source += `, changed by ${changed.join(" and ")}`;
  return table;
}

async function runReport(flags: ReportFlags): Promise<void> {
  const outputs = [flags.json && "--json", flags.md && "--md", flags.html && "--html"].filter(Boolean);
  if (outputs.length > 1) throw new UsageError(`use one of ${outputs.join(", ")}`);
  const scopes = [flags.checkpoint && "--checkpoint", flags.session && "--session", flags.all && "--all"].filter(Boolean);
  if (scopes.length > 1) throw new UsageError(`use one of ${scopes.join(", ")}`);
  const range = {
    since: flags.since === undefined ? undefined : parseTimeFlag(flags.since, "--since"),
    until: flags.until === undefined ? undefined : parseTimeFlag(flags.until, "--until"),
  };
  if (range.since !== undefined && range.until !== undefined && range.since > range.until) throw new UsageError("--since is later than --until");
  const prices = await priceTable(flags);
  const report = flags.archive !== undefined ? await archiveReport(flags, flags.archive, range, prices) : await logsReport(flags, range, prices);
  const leftOut = lockedSessionsText(report.scope.left_out ?? []);
  if (leftOut) process.stderr.write(`shearwater: ${sanitizeForTerminal(leftOut)}\n`);
  if (flags.json) return void process.stdout.write(`${terminalJson(report, 2)}\n`);
  if (flags.md) return void process.stdout.write(markdownReport(report));
  if (flags.html) {
    const out = await openPrivate(flags.html, "w");
    try {
      await out.writeFile(htmlReport(report));
    } finally {
      await out.close();
    }
    process.stderr.write(`report of ${report.messages} messages written to ${sanitizeForTerminal(flags.html)}\n`);
    return;
  }
  process.stdout.write(textReport(report, process.stdout.columns || 100));
}

async function logsReport(flags: ReportFlags, range: TimeRange, prices: PriceTable): Promise<Report> {
  const picking = [flags.host && "--host", flags.origin && "--origin"].filter(Boolean);
  if (picking.length) throw new UsageError(`${picking.join(" and ")} pick sources of an archive: use with --archive`);
  const source: ReportSource = flags.checkpoint ? { checkpoint: flags.checkpoint } : flags.session ? { session: flags.session } : flags.all ? "all" : "current";
  const logsDir = logsDirOf(flags);
  return makeReport(logsDir, { source, range, prices }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT" && source === "current" && err.path === logsPaths(logsDir).current) {
      throw new Error(`no active session in ${logsDir} (--all reports on every session, --checkpoint ID on one checkpoint)`);
    }
    throw err;
  });
}

async function archiveReport(flags: ReportFlags, archive: string | true, range: TimeRange, prices: PriceTable): Promise<Report> {
  const local = [flags.checkpoint && "--checkpoint", flags.all && "--all"].filter(Boolean);
  if (local.length) throw new UsageError(`${local.join(" and ")} read a logs folder: not with --archive (which reads every source; --session ID picks one session)`);
  return makeArchiveReport(archiveUrlOf(archive), { hosts: flags.host, origins: flags.origin, session: flags.session, range, prices });
}
