// `--alert` rules (docs/SPEC.md "Reports and alerts") and what an alert says: shared by the recorder, which
// watches them, the status file that shows them, and the watchdog that raises `recorder-down`.
import { parseDuration } from "../config.ts";

export type AlertRule =
  | { kind: "recorder-down"; text: string }
  /** No message for `ms`. */
  | { kind: "silence"; text: string; ms: number }
  /** At least `ratio` of the messages of the last `windowMs` are errors (and at least MIN_WINDOW_MESSAGES came). */
  | { kind: "error-rate"; text: string; ratio: number; windowMs: number }
  /** The logs folder's file system is at least `ratio` full. */
  | { kind: "disk"; text: string; ratio: number }
  /** A `gap` event was written; cleared after `quietMs` without another. */
  | { kind: "gap"; text: string; quietMs: number }
  /** No good backup (`shearwater backup`) for `ms`, or none ever. */
  | { kind: "backup-age"; text: string; ms: number };

export type AlertKind = AlertRule["kind"];

/** What `--alert-command` gets on stdin, the status lists and the TUI's banner shows. */
export interface AlertEvent {
  alert: AlertKind;
  rule: string;
  state: "firing" | "cleared";
  /** When this happened. */
  at: string;
  /** When the episode began (its firing). */
  since: string;
  message: string;
  logs_dir: string;
  /** The recorder the alert is about. */
  pid: number;
}

/** The status file's `alerts`. */
export interface AlertStatus {
  rules: string[];
  command: string | null;
  active: AlertEvent[];
  /** The last firings and clearings, oldest first. */
  recent: AlertEvent[];
}

export interface AlertConfig {
  rules: AlertRule[];
  command?: string;
}

export const DEFAULT_ERROR_WINDOW_MS = 5 * 60_000;
export const DEFAULT_GAP_QUIET_MS = 60_000;
/** An error rate over fewer messages than this says nothing. */
export const MIN_WINDOW_MESSAGES = 10;
/** Per-second buckets are kept: a window is at most this long. */
export const MAX_WINDOW_MS = 3_600_000;

export class AlertRuleError extends Error {}

const USAGE = "expected recorder-down, silence=10m, error-rate=5%[/5m], disk=90%, gap[=1m] or backup-age=1d";

/** `recorder-down`, `silence=10m`, `error-rate=5%` or `error-rate=5%/10m`, `disk=90%`, `gap` or `gap=30s`. */
export function parseAlertRule(text: string): AlertRule {
  const [name, value] = splitOnce(text.trim(), "=");
  const duration = (v: string) => {
    try {
      const ms = parseDuration(v);
      if (ms > 0) return ms;
    } catch {
      // said below
    }
    throw new AlertRuleError(`--alert ${text}: bad duration "${v}" (e.g. 30s, 10m, 1h)`);
  };
  switch (name) {
    case "recorder-down":
      if (value !== undefined) break;
      return { kind: name, text };
    case "silence":
    case "backup-age":
      if (value === undefined) break;
      return { kind: name, text, ms: duration(value) };
    case "gap":
      return { kind: name, text, quietMs: value === undefined ? DEFAULT_GAP_QUIET_MS : duration(value) };
    case "disk":
      if (value === undefined) break;
      return { kind: name, text, ratio: percent(value, text) };
    case "error-rate": {
      if (value === undefined) break;
      const [rate, window] = splitOnce(value, "/");
      const windowMs = window === undefined ? DEFAULT_ERROR_WINDOW_MS : duration(window);
      if (windowMs > MAX_WINDOW_MS) throw new AlertRuleError(`--alert ${text}: the window is at most 1h`);
      return { kind: name, text, ratio: percent(rate, text), windowMs };
    }
  }
  throw new AlertRuleError(`--alert ${text}: ${USAGE}`);
}

function percent(value: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0 && n <= 100)) throw new AlertRuleError(`--alert ${text}: "${value}" is not a percentage above 0 and at most 100 (e.g. 90%)`);
  return n / 100;
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

/** The `shearwater record` flags that give a recorder these alerts (a restarted recorder keeps its predecessor's). */
export function alertFlags(status: Pick<AlertStatus, "rules" | "command">): string[] {
  return [...status.rules.flatMap((r) => ["--alert", r]), ...(status.command ? ["--alert-command", status.command] : [])];
}
