// The recorder's lifecycle: lock, recovery (by the writer), capture → records → durable appends, checkpoints,
// status, control commands, graceful stop.
import type { ControlCommand } from "../control/client.ts";
import { compactInBackground } from "../compact/autoCompact.ts";
import { finishesWithin } from "../deadline.ts";
import type { RecorderRunState } from "../control/recorderStatus.ts";
import { createCheckpoint, type CheckpointInfo } from "../storage/checkpoints.ts";
import { acquireLock, type RecorderLock } from "../storage/lock.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { readPrivateFile } from "../storage/privateFile.ts";
import { switchSession } from "../storage/sessions.ts";
import { SessionWriter, type Unwritten, type WriterOptions } from "../storage/sessionWriter.ts";
import { timestamp } from "../record.ts";
import type { AppendRecord } from "../storage/recordJson.ts";
import { Capture, type EndpointState } from "./capture.ts";
import { startControlServer, type ControlServer } from "./controlServer.ts";
import { Enricher } from "./enrich.ts";
import { MessageRecords } from "./messageRecords.ts";
import type { CompiledRules } from "./rulesFile.ts";
import { startTaps, type TapTarget, type Taps } from "../transcripts/tap.ts";
import type { TapSpec } from "../transcripts/tapSpec.ts";
import { StatusReporter, type StatusSnapshot } from "./status.ts";
import { Alerts } from "./alerts.ts";
import type { AlertConfig } from "./alertSpec.ts";

export interface RecorderOptions {
  logsDir: string;
  brokers: string[];
  topics: string[];
  /** 0 = no automatic checkpoints. */
  checkpointEveryMs: number;
  rules: CompiledRules;
  maxMessageBytes: number;
  /** Group-commit tuning (benchmarks compare against a writer that syncs every record). */
  writer?: Omit<WriterOptions, "onError">;
  /** Called with each batch of records once durable (benchmarks measure publish-to-durable with it). */
  onDurable?: (recs: AppendRecord[]) => void;
  /** Agents' transcript folders followed live (src/transcripts/tap.ts), their new lines recorded too. */
  taps?: TapSpec[];
  /** `--alert` rules and `--alert-command` (alerts.ts). */
  alerts?: AlertConfig;
}

export class Recorder {
  /** Resolves once the recorder has stopped and released everything. */
  readonly stopped: Promise<void>;
  private resolveStopped!: () => void;
  private stopping?: Promise<void>;
  private readonly startedAt = timestamp();
  private readonly enricher: Enricher;
  private readonly records: MessageRecords;
  private readonly status: StatusReporter;
  private readonly capture: Capture;
  private writer!: SessionWriter;
  private control?: ControlServer;
  private taps?: Taps;
  private alerts?: Alerts;
  private checkpointTimer?: NodeJS.Timeout;
  /** Checkpoints, new and load run one at a time. */
  private sessionWork: Promise<unknown> = Promise.resolve();
  private lastCheckpoint: CheckpointInfo | null = null;
  private messagesAtCheckpoint = -1;
  private recoveries = 0;
  private enrichErrorsReported = 0;
  /** Set once stopped, for the last status write. */
  private finalState?: RecorderRunState;
  private lostInCrash?: Unwritten;

  private constructor(
    private readonly opts: RecorderOptions,
    private readonly lock: RecorderLock,
  ) {
    this.stopped = new Promise((resolve) => (this.resolveStopped = resolve));
    this.enricher = new Enricher(opts.rules);
    this.records = new MessageRecords(this.enricher, opts.maxMessageBytes);
    this.status = new StatusReporter(logsPaths(opts.logsDir).status, () => this.snapshot());
    if (opts.alerts?.rules.length) this.alerts = new Alerts(opts.alerts, { logsDir: opts.logsDir, dropped: () => this.writer.stats().dropped, onError: (m) => this.status.error(m) });
    this.capture = new Capture({
      brokers: opts.brokers,
      topics: opts.topics,
      onBatch: (messages, ts) => this.record(messages, ts),
      onEndpoint: (state) => this.endpointChanged(state),
    });
  }

  /** Takes the logs folder's lock (LockHeldError names the running recorder) and starts recording. */
  static async start(opts: RecorderOptions): Promise<Recorder> {
    const lock = await acquireLock(opts.logsDir);
    const recorder = new Recorder(opts, lock);
    try {
      await recorder.open();
    } catch (err) {
      await lock.release();
      throw err;
    }
    return recorder;
  }

  private async open(): Promise<void> {
    const { logsDir, brokers, topics, checkpointEveryMs } = this.opts;
    const previous = await this.status.previous(); // before this recorder's first status replaces it
    this.writer = await SessionWriter.open(logsDir, { ...this.opts.writer, onError: (err) => this.status.error(`write failed: ${err.message}`) });
    this.recoveries = await countLines(logsPaths(logsDir).recoveryLog);
    const lost = previous?.unwritten;
    if (lost && previous.session.id === this.writer.sessionId) {
      const { records, reason, from_ts, to_ts } = lost;
      void this.writer.append({ kind: "event", event: "gap", reason: `not written before recorder ${previous.pid} stopped: ${reason}`, dropped: records, from_ts, to_ts });
    }
    void this.writer.append({ kind: "event", event: "recorder_started", pid: process.pid, brokers, topics });
    this.control = await startControlServer(logsDir, (cmd, args) => this.command(cmd, args));
    this.capture.start();
    if (this.opts.taps?.length) this.taps = await startTaps(logsDir, this.opts.taps, this.tapTarget());
    await this.alerts?.start(previous, this.writer.sessionId);
    await this.status.write(); // the first status says the recorder is up: control channel included
    this.status.start();
    if (checkpointEveryMs > 0) {
      const auto = () => this.checkpoint("auto", false).catch((err: Error) => this.status.error(`automatic checkpoint failed: ${err.message}`));
      this.checkpointTimer = setInterval(() => void auto(), checkpointEveryMs);
      this.checkpointTimer.unref();
    }
  }

  /**
   * Received messages → records → the writer; resolves when the writer has room for more (the capture waits for
   * it, so a burst of huge messages is written rather than dropped). Durability is the writer's: while writes fail
   * its backlog is bounded and drops are gaps. Nothing about one message can stop the others: a failure to build its
   * record leaves an event in its place saying why.
   */
  private record(messages: Buffer[][], ts: string): Promise<void> {
    const recs: AppendRecord[] = [];
    for (const frames of messages) recs.push(...this.recordsOf(frames, ts));
    this.status.countMessages(messages.length);
    this.alerts?.records(recs);
    const durable = this.writer.appendMany(recs); // a dropped record is counted by the writer
    const { onDurable } = this.opts;
    if (onDurable) durable.then(() => onDurable(recs), () => {});
    if (this.enricher.errors > this.enrichErrorsReported) {
      this.enrichErrorsReported = this.enricher.errors;
      this.status.error(`enrichment failed: ${this.enricher.lastError}`);
    }
    return this.writer.whenRoom();
  }

  private recordsOf(frames: Buffer[], ts: string): AppendRecord[] {
    try {
      return this.records.build(frames, ts);
    } catch (err) {
      const reason = `a message could not be made into a record: ${(err as Error).message}`;
      this.status.error(reason);
      const bytes = frames.reduce((n, f) => n + f.byteLength, 0);
      return [{ kind: "event", event: "gap", ts, reason, dropped: 1, bytes, frames: frames.length, from_ts: ts, to_ts: ts }];
    }
  }

  private tapTarget(): TapTarget {
    return {
      append: (recs) => this.writer.appendMany(recs),
      position: () => ({ session: this.writer.sessionId, bytes: this.writer.stats().bytes }),
      onError: (message) => this.status.error(`tap: ${message}`),
    };
  }

  private endpointChanged({ endpoint, connected }: EndpointState): void {
    void this.writer.append({ kind: "event", event: connected ? "broker_connected" : "broker_disconnected", endpoint });
    void this.status.write(); // `shearwater status` shows a connection change at once, not up to a second later
  }

  /** A checkpoint of everything recorded so far; unless forced, only when new messages came since the last one. */
  checkpoint(label: string, force = true): Promise<CheckpointInfo | null> {
    return this.serially(async () => {
      if (!force && this.writer.stats().messages === this.messagesAtCheckpoint) return null;
      const snap = await this.writer.snapshot();
      const info = await createCheckpoint(this.opts.logsDir, snap, label);
      this.lastCheckpoint = info;
      this.messagesAtCheckpoint = snap.messages;
      void this.writer.append({ kind: "event", event: "checkpoint", id: info.id, label, messages: info.messages, bytes: info.bytes });
      return info;
    });
  }

  private serially<T>(job: () => Promise<T>): Promise<T> {
    const run = this.sessionWork.then(job);
    this.sessionWork = run.catch(() => {});
    return run;
  }

  private async command(cmd: ControlCommand, args: Record<string, unknown>): Promise<unknown> {
    switch (cmd) {
      case "ping":
        return { pid: process.pid, session: this.writer.sessionId, state: this.state() };
      case "checkpoint":
        return this.checkpoint(typeof args.label === "string" ? args.label : "manual");
      case "new":
      case "load": {
        const to = cmd === "new" ? { action: cmd } : { action: cmd, checkpoint: String(args.checkpoint ?? "") };
        return this.serially(async () => {
          const result = await switchSession(this.writer, this.opts.logsDir, to);
          compactInBackground(this.opts.logsDir);
          this.lastCheckpoint = result.saved;
          this.messagesAtCheckpoint = this.writer.stats().messages;
          return result;
        });
      }
      case "stop":
        setImmediate(() => void this.stop()); // answer first
        return { pid: process.pid };
    }
  }

  state(): RecorderRunState {
    if (this.stopping) return "stopping";
    if (this.writer?.stats().lastError) return "degraded";
    return this.capture.endpoints().some((e) => e.connected) ? "recording" : "waiting_for_broker";
  }

  /**
   * The last words of a recorder process dying of an unexpected error: the status says `crashed`, why, and what was
   * received but not written (the next recorder on the session writes the `gap` event for it). Synchronous.
   */
  crashed(err: unknown): void {
    this.lostInCrash = this.writer?.pending(`the recorder crashed: ${err instanceof Error ? err.message : String(err)}`);
    this.status.crashed(err);
  }

  private snapshot(): StatusSnapshot {
    const w = this.writer.stats();
    const cp = this.lastCheckpoint;
    const unwritten = w.unwritten ?? this.lostInCrash;
    return {
      ...(unwritten ? { unwritten } : {}),
      ...(this.taps ? { taps: this.taps.stats() } : {}),
      pid: process.pid,
      started_at: this.startedAt,
      logs_dir: this.opts.logsDir,
      state: this.finalState ?? this.state(),
      endpoints: this.capture.endpoints().map((e) => (this.finalState ? { ...e, connected: false } : e)),
      session: { id: w.sessionId, records: w.records, messages: w.messages, bytes: w.bytes, ...(w.counting ? { counting: true as const } : {}) },
      sync_ms: w.syncMs,
      last_checkpoint: cp && { id: cp.id, label: cp.label, created_at: cp.created_at },
      recoveries: this.recoveries,
      enrich_errors: this.enricher.errors,
      dropped: w.dropped,
      backlog_bytes: w.backlogBytes,
      ...(this.alerts ? { alerts: this.alerts.status() } : {}),
    };
  }

  /**
   * Stops receiving, records what was received, takes a final checkpoint, releases everything. Idempotent. With a
   * deadline (a signal's stop must end in time) writing is cut short when it has not finished by then: the status
   * says what was not written, and the next recorder on the session writes the `gap` event.
   */
  stop({ deadlineMs = Infinity }: { deadlineMs?: number } = {}): Promise<void> {
    this.stopping ??= (async () => {
      const deadline = performance.now() + deadlineMs;
      const left = () => Math.max(0, deadline - performance.now());
      clearInterval(this.checkpointTimer);
      try {
        await this.capture.close();
        await this.taps?.stop();
        await this.alerts?.stop();
        const final = this.checkpoint("final", false).catch((err: Error) => this.status.error(`final checkpoint failed: ${err.message}`));
        if (!(await finishesWithin(final, left() / 2))) this.status.error("final checkpoint not taken: writing did not finish in time");
        void this.writer.append({ kind: "event", event: "recorder_stopped", pid: process.pid });
        await this.writer.close({ deadlineMs: left() });
        const lost = this.writer.stats().unwritten;
        if (lost) this.status.error(`${lost.records} records received from ${lost.from_ts} to ${lost.to_ts} were not written: ${lost.reason}`);
      } finally {
        await this.control?.close();
        this.finalState = "stopped";
        await this.status.stop();
        await this.lock.release();
        this.resolveStopped();
      }
    })();
    return this.stopping;
  }
}

async function countLines(file: string): Promise<number> {
  const text = await readPrivateFile(file).catch(() => "");
  return text.split("\n").filter(Boolean).length;
}
