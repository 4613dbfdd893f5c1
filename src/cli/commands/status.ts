// `shearwater status [--json]`: what the recorder of a logs folder is doing, or why none is. Exit 0 when a live
// recorder answers through its status file, 1 when none runs (never started, stopped, crashed or hung).
import type { Command } from "commander";
import { storageLines, storageSummary } from "../../backup/storageSummary.ts";
import { readRecorderState, sessionCounts, tapsText, unwrittenText, type RecorderState, type RecorderStatus } from "../../control/recorderStatus.ts";
import { terminalLines } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { logsDirOf, withLogs } from "../options.ts";

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/** The status as lines; the status file is written by another process, so every line is made safe to print. */
function describe(logsDir: string, state: RecorderState): string {
  return terminalLines(describedLines(logsDir, state).filter(Boolean));
}

function describedLines(logsDir: string, { alive, status: s, reason }: RecorderState): string[] {
  if (!s) return [`recorder: not running (${reason})`, `logs:     ${logsDir}`];
  return [
    alive ? `recorder: ${s.state} (pid ${s.pid}, since ${s.started_at})` : `recorder: not running: ${reason}`,
    `logs:     ${s.logs_dir}`,
    ...s.endpoints.map((e) => `broker:   ${e.endpoint} ${e.connected ? "connected" : "not connected"}${e.since ? ` since ${e.since}` : ""}`),
    `session:  ${s.session.id}: ${sessionCounts(s.session)}, ${mib(s.session.bytes)}`,
    `rate:     ${s.rates.last_1s} msg/s (last second), ${s.rates.last_1m} msg/s (last minute)`,
    `sync:     p50 ${s.sync_ms.p50} ms, p99 ${s.sync_ms.p99} ms`,
    `checkpoint: ${s.last_checkpoint ? `${s.last_checkpoint.id} at ${s.last_checkpoint.created_at}, labelled "${s.last_checkpoint.label}"` : "none yet"}`,
    `recoveries ${s.recoveries} · dropped ${s.dropped} · backlog ${mib(s.backlog_bytes)} · enrichment errors ${s.enrich_errors}`,
    s.taps ? `taps:     ${tapsText(s.taps)}` : "",
    s.unwritten ? `unwritten: ${unwrittenText(s.unwritten)}` : "",
    s.alerts ? `alerts:   ${s.alerts.rules.join(", ")}${s.alerts.active.length ? "" : ": none firing"}` : "",
    ...(s.alerts?.active ?? []).map((a) => `ALERT:    ${a.rule} since ${a.since}: ${a.message}`),
    ...lastErrors(s),
    alive ? "" : `(status as last written at ${s.updated_at})`,
  ];
}

function lastErrors(s: RecorderStatus): string[] {
  return s.errors.slice(-5).map((e) => `error:    ${e.at} ${e.message}`);
}

export function register(program: Command): void {
  const cmd = program
    .command("status")
    .description("diagnostics of the recorder: pid, state, broker connection, counts, rates, checkpoints, errors (exit 1 when none runs)")
    .option("--json", "print {alive, reason?, status, storage} as JSON");
  withLogs(cmd).action(async (opts: { logs?: string; json?: boolean }) => {
    const logsDir = logsDirOf(opts);
    const [state, storage] = await Promise.all([readRecorderState(logsDir), storageSummary(logsDir)]);
    process.stdout.write(opts.json ? terminalJson({ ...state, storage }, 2) + "\n" : describe(logsDir, state) + terminalLines(storageLines(storage)));
    if (!state.alive) process.exitCode = 1;
  });
}
