// The recorder's status file (docs/ARCHITECTURE.md "Status file") and whether its recorder is alive, for the CLI,
// the TUI and the launcher.
import type { AlertStatus } from "../recorder/alertSpec.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { readPrivateFile } from "../storage/privateFile.ts";

/** `crashed`: the recorder's last-resort handler wrote this as it died of an unexpected error (see `errors`). */
export type RecorderRunState = "waiting_for_broker" | "recording" | "degraded" | "stopping" | "stopped" | "crashed";

export interface RecorderStatus {
  pid: number;
  started_at: string;
  updated_at: string;
  logs_dir: string;
  state: RecorderRunState;
  endpoints: { endpoint: string; connected: boolean; since: string | null }[];
  /** `counting`: the records and messages of a session opened from a file are still being counted (they are so far). */
  session: { id: string; records: number; messages: number; bytes: number; counting?: true };
  /** Messages per second: over the last second, and averaged over the last minute. */
  rates: { last_1s: number; last_1m: number };
  /** Messages received in each of the last (up to) 600 seconds, oldest first. */
  history: number[];
  sync_ms: { p50: number; p99: number };
  last_checkpoint: { id: string; label: string; created_at: string } | null;
  recoveries: number;
  errors: { at: string; message: string }[];
  enrich_errors: number;
  dropped: number;
  backlog_bytes: number;
  /** With `record --tap`: transcript files followed, records taken from them, files their agent deleted since. */
  taps?: { files: number; records: number; vanished: number; errors: number; lastError?: string };
  /** Records received but not written when the recorder stopped (a stop cut short, a crash); the next recorder on the session writes the `gap` event. */
  unwritten?: { records: number; reason: string; from_ts: string; to_ts: string };
  /** With `--alert` rules: the rules, the command, the alerts firing now and the last firings and clearings. */
  alerts?: AlertStatus;
}

export interface RecorderState {
  alive: boolean;
  status: RecorderStatus | null;
  reason?: string;
}

/** A status older than this means its recorder is hung or gone. */
export const STATUS_FRESH_MS = 5_000;

/** "+" after a count while the recorder is still counting the records already in the session's file, else "". */
export function partialMark(session: RecorderStatus["session"]): string {
  return session.counting ? "+" : "";
}

/** The session's counts as words, marked while they are partial. */
export function sessionCounts(session: RecorderStatus["session"], messagesWord = "messages"): string {
  const more = partialMark(session);
  return `${session.messages}${more} ${messagesWord}, ${session.records}${more} records${session.counting ? " (counting the file's records)" : ""}`;
}

/** What the taps did, in a line (status and the TUI's diagnostics). */
export function tapsText(taps: NonNullable<RecorderStatus["taps"]>): string {
  return `${taps.files} transcript files, ${taps.records} records, ${taps.vanished} files deleted by their agent (kept here), ${taps.errors} errors`;
}

/** The records a stopped recorder could not write, in a line. */
export function unwrittenText(u: NonNullable<RecorderStatus["unwritten"]>): string {
  return `${u.records} records from ${u.from_ts} to ${u.to_ts}: ${u.reason}`;
}

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function readRecorderStatus(logsDir: string): Promise<RecorderStatus | null> {
  try {
    return JSON.parse(await readPrivateFile(logsPaths(logsDir).status)) as RecorderStatus;
  } catch {
    return null;
  }
}

export async function readRecorderState(logsDir: string, now = Date.now()): Promise<RecorderState> {
  const status = await readRecorderStatus(logsDir);
  if (!status) return { alive: false, status, reason: "no recorder has run in this logs folder" };
  if (status.state === "stopped") return { alive: false, status, reason: `stopped at ${status.updated_at}` };
  if (status.state === "crashed") return { alive: false, status, reason: `crashed at ${status.updated_at}: ${status.errors.at(-1)?.message ?? "unknown error"}` };
  if (!processExists(status.pid)) return { alive: false, status, reason: `recorder pid ${status.pid} is not running (it did not stop cleanly)` };
  const age = now - Date.parse(status.updated_at);
  if (age > STATUS_FRESH_MS) {
    return { alive: false, status, reason: `recorder pid ${status.pid} has not updated its status for ${Math.round(age / 1000)} s` };
  }
  return { alive: true, status };
}
