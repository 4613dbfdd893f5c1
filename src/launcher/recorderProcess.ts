// Recorder supervision: reuse the live recorder of a logs folder, else start `shearwater record` detached, and
// restart a recorder that died (the TUI's banner and the launcher both use this).
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import type fs from "node:fs/promises";
import path from "node:path";
import { NoRecorderError, sendControl } from "../control/client.ts";
import { processExists, readRecorderState, type RecorderStatus } from "../control/recorderStatus.ts";
import { alertFlags, type AlertEvent } from "../recorder/alertSpec.ts";
import { raiseRecorderDown } from "../recorder/recorderDown.ts";
import { selfCommand } from "../cli/selfCommand.ts";
import { readLockOwner } from "../storage/lock.ts";
import { ensureLogsDir, logsPaths } from "../storage/logsDir.ts";
import { readExactly } from "../storage/positionedRead.ts";
import { openPrivate } from "../storage/privateFile.ts";

/** The recorder's own output (stdout and stderr), kept so that a failed start can say why. */
const READY_STATES = new Set(["recording", "waiting_for_broker"]);
const DEFAULT_TIMEOUT_MS = 20_000;
const POLL_MS = 100;
/** How long a recorder that took the folder's lock may take to write its first status. */
const STARTING_MS = 10_000;

export interface EnsureRecorderOptions {
  logsDir: string;
  brokers: string[];
  /** More `shearwater record` flags, e.g. ["--checkpoint-every", "1m"]. */
  extraArgs?: string[];
  timeoutMs?: number;
}

export class RecorderStartError extends Error {
  constructor(
    message: string,
    readonly logFile?: string,
  ) {
    super(message);
  }
}

export async function ensureRecorder(opts: EnsureRecorderOptions): Promise<{ pid: number; started: boolean }> {
  const logsDir = path.resolve(opts.logsDir);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const reused = await liveRecorder(logsDir, timeoutMs);
  if (reused) return { pid: reused, started: false };

  const logFile = logsPaths(logsDir).recorderLog;
  const logFd = await openLog(logsDir, logFile);
  const logStart = (await logFd.stat()).size;
  await logFd.write(`--- ${new Date().toISOString()} starting recorder\n`);
  const args = ["record", "--logs", logsDir, ...opts.brokers.flatMap((b) => ["--broker", b]), ...(opts.extraArgs ?? [])];
  const { command, args: argv } = selfCommand(args);
  const child = spawn(command, argv, { detached: true, stdio: ["ignore", logFd.fd, logFd.fd], windowsHide: true });
  await logFd.close();
  let exit: { code: number | null; signal: string | null } | undefined;
  child.on("exit", (code, signal) => (exit = { code, signal }));
  child.on("error", (err) => (exit = { code: null, signal: err.message }));
  child.unref();

  try {
    const pid = await waitReady(logsDir, child.pid, timeoutMs, () => exit);
    // Another launch's recorder won the folder: ours is a spare that must not take over later.
    if (pid !== child.pid && !exit && child.pid) process.kill(child.pid, "SIGTERM");
    return { pid, started: pid === child.pid };
  } catch (err) {
    if (!exit && child.pid) process.kill(child.pid, "SIGTERM"); // a half-started recorder must not linger
    const output = await readFrom(logFile, logStart);
    const why = err instanceof Error ? err.message : String(err);
    throw new RecorderStartError(`${why}${reasonOf(output)}\n(recorder output: ${logFile})`, logFile);
  }
}

/** The pid of the folder's live recorder once it is ready (one still starting up is waited for), else 0. */
async function liveRecorder(logsDir: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { alive, status } = await readRecorderState(logsDir);
    if (!alive || !status) return 0;
    if (READY_STATES.has(status.state)) return status.pid;
    if (Date.now() > deadline) {
      throw new RecorderStartError(`the running recorder (pid ${status.pid}) stayed in state "${status.state}"`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Polls the status file until a recorder is ready. Another launch may win the race for the folder's lock: its
 * recorder is reused when ours exits.
 */
async function waitReady(
  logsDir: string,
  ownPid: number | undefined,
  timeoutMs: number,
  exited: () => { code: number | null; signal: string | null } | undefined,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let lastState = "no status file yet";
  for (;;) {
    const state = await readRecorderState(logsDir);
    const st = state.status;
    if (state.alive && st && READY_STATES.has(st.state)) return st.pid;
    if (st) lastState = `state "${st.state}"${st.errors?.length ? `, last error: ${st.errors.at(-1)?.message}` : ""}`;
    const ex = exited();
    if (ex && !(state.alive && st && st.pid !== ownPid) && !(await anotherIsStarting(logsDir, ownPid))) {
      const how = ex.code !== null ? `exit code ${ex.code}` : `signal ${ex.signal}`;
      throw new Error(`the recorder stopped during start-up (${how})`);
    }
    if (Date.now() > deadline) throw new Error(`the recorder was not ready after ${timeoutMs} ms (${lastState})`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Whether a recorder other than ours holds the folder's lock and is still starting: it may not have written its
 * status yet. A holder that has been up for a while without a live status is not waited for.
 */
async function anotherIsStarting(logsDir: string, ownPid: number | undefined): Promise<boolean> {
  const owner = await readLockOwner(logsDir).catch(() => null);
  return owner !== null && owner.alive && owner.pid !== ownPid && Date.now() - Date.parse(owner.started_at) < STARTING_MS;
}

async function openLog(logsDir: string, logFile: string): Promise<fs.FileHandle> {
  try {
    await ensureLogsDir(logsDir);
    return await openPrivate(logFile, "a");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint = code === "EACCES" || code === "EPERM" ? "permission denied" : String((err as Error).message);
    throw new RecorderStartError(`cannot use the logs folder ${logsDir}: ${hint}`, logFile);
  }
}

async function readFrom(file: string, offset: number): Promise<string> {
  try {
    const fh = await openPrivate(file, "r");
    try {
      const length = Math.max(0, (await fh.stat()).size - offset);
      const buf = Buffer.alloc(length);
      await readExactly(fh, buf, 0, length, offset);
      return buf.toString("utf8");
    } finally {
      await fh.close();
    }
  } catch {
    return "";
  }
}

/** The recorder's own words, headed by the likely cause a user can act on. */
function reasonOf(output: string): string {
  const lines = output.split("\n").filter((l) => l.trim() && !l.startsWith("--- ")).slice(-8);
  if (lines.length === 0) return "";
  const text = lines.join("\n");
  const cause = /lock/i.test(text)
    ? "the logs folder is locked by another recorder"
    : /EACCES|EPERM|permission/i.test(text)
      ? "permission denied on the logs folder"
      : /broker|endpoint|EADDR|ECONNREFUSED/i.test(text)
        ? "the broker endpoint could not be used"
        : undefined;
  return `${cause ? `: ${cause}` : ""}\n${text}`;
}

export interface WatchdogOptions extends EnsureRecorderOptions {
  /** How often the status file is checked. */
  intervalMs?: number;
  /** First restart delay, doubled after each failed restart up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Restarts a recorder that died (its pid gone or its status stale) with back-off. A recorder that stopped
 * gracefully (state "stopped", e.g. `shearwater stop`) is left stopped: that was someone's decision.
 * Events: "died" (reason, the `recorder-down` alert or null), "restarted" (pid), "restart_failed" (Error, next delay
 * in ms), "stopped", "alert_error" (message: an alert command that failed).
 */
export class RecorderWatchdog extends EventEmitter {
  private timer: NodeJS.Timeout | undefined;
  private delayMs: number;
  private down = false;
  private running = false;

  constructor(private readonly opts: WatchdogOptions) {
    super();
    this.delayMs = opts.backoffMs ?? 1000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** `recorder-down`, when the recorder that died had that alert: fired here unless someone already did. */
  private async raiseDown(dead: RecorderStatus | null, reason: string): Promise<AlertEvent | null> {
    if (!dead?.alerts?.rules.includes("recorder-down")) return null;
    const onError = (message: string) => this.emit("alert_error", message);
    return raiseRecorderDown(this.opts.logsDir, { pid: dead.pid, reason, command: dead.alerts.command }, onError).catch((err: Error) => {
      onError(`recorder-down not raised: ${err.message}`);
      return null;
    });
  }

  /** A restarted recorder keeps the alerts of the one that died, unless this watchdog was given its own. */
  private restartOptions(dead: RecorderStatus | null): EnsureRecorderOptions {
    const own = this.opts.extraArgs ?? [];
    if (!dead?.alerts || own.includes("--alert")) return this.opts;
    return { ...this.opts, extraArgs: [...own, ...alertFlags(dead.alerts)] };
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.check(), ms);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    const interval = this.opts.intervalMs ?? 1000;
    const state = await readRecorderState(this.opts.logsDir).catch(() => undefined);
    if (!this.running || !state) return this.schedule(interval);
    if (state.alive) {
      this.down = false;
      this.delayMs = this.opts.backoffMs ?? 1000;
      return this.schedule(interval);
    }
    if (state.status?.state === "stopped") {
      this.emit("stopped");
      return this.schedule(interval);
    }
    if (!this.down) {
      this.down = true;
      const reason = state.reason ?? "the recorder is not running";
      this.emit("died", reason, await this.raiseDown(state.status, reason));
    }
    try {
      const { pid } = await ensureRecorder(this.restartOptions(state.status));
      if (!this.running) return;
      this.down = false;
      this.delayMs = this.opts.backoffMs ?? 1000;
      this.emit("restarted", pid);
      this.schedule(interval);
    } catch (err) {
      const next = this.delayMs;
      this.delayMs = Math.min(next * 2, this.opts.maxBackoffMs ?? 30_000);
      this.emit("restart_failed", err, next);
      this.schedule(next);
    }
  }
}

/**
 * Graceful stop (the recorder takes its final checkpoint), waiting until its process is gone.
 * Returns the pid that was stopped, or null when no recorder was running.
 */
export async function stopRecorder(logsDir: string, { timeoutMs = 30_000 } = {}): Promise<number | null> {
  const { alive, status } = await readRecorderState(logsDir);
  if (!alive || !status) return null;
  try {
    await sendControl(logsDir, "stop", {}, { timeoutMs });
  } catch (err) {
    if (err instanceof NoRecorderError) return null;
    throw err;
  }
  const deadline = Date.now() + timeoutMs;
  while (processExists(status.pid)) {
    if (Date.now() > deadline) throw new Error(`the recorder (pid ${status.pid}) did not stop within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return status.pid;
}
