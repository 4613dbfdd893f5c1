// The recorder's alerts (`--alert`, docs/SPEC.md "Reports and alerts"): each rule is checked once a second; an
// alert fires once when its condition starts to hold and clears once when it stops, each time running
// `--alert-command` with the alert as JSON on stdin. Active and recent alerts are in the status file.
import fs from "node:fs/promises";
import type { RecorderStatus } from "../control/recorderStatus.ts";
import { timestamp, type Meta } from "../record.ts";
import type { AppendRecord } from "../storage/recordJson.ts";
import { backupTooOld } from "../backup/backupAge.ts";
import { runAlertCommand } from "./alertCommand.ts";
import { MIN_WINDOW_MESSAGES, type AlertConfig, type AlertEvent, type AlertRule, type AlertStatus } from "./alertSpec.ts";
import { clearRecorderDown, raiseRecorderDown } from "./recorderDown.ts";

const TICK_MS = 1000;
const RECENT = 20;

/** What the alerts need to know of the recorder beyond the records it writes. */
export interface AlertProbe {
  logsDir: string;
  /** Records the writer dropped so far (each run of drops is a `gap` event). */
  dropped(): number;
  onError(message: string): void;
}

export class Alerts {
  readonly #active = new Map<string, AlertEvent>();
  readonly #recent: AlertEvent[] = [];
  /** Commands still running: a stop waits for them (briefly). */
  readonly #running = new Set<Promise<void>>();
  /** Messages and errors per second, newest last, as long as the longest error-rate window. */
  readonly #seconds: { messages: number; errors: number }[] = [{ messages: 0, errors: 0 }];
  readonly #keepSeconds: number;
  #lastMessage = Date.now();
  #lastGap = 0;
  #dropped = 0;
  #timer?: NodeJS.Timeout;

  constructor(
    private readonly config: AlertConfig,
    private readonly probe: AlertProbe,
  ) {
    const windows = config.rules.map((r) => (r.kind === "error-rate" ? r.windowMs : 0));
    this.#keepSeconds = Math.ceil(Math.max(0, ...windows) / 1000) + 1;
  }

  /** What the recorder hands its writer: messages (errors among them) and `gap` events. */
  records(recs: AppendRecord[]): void {
    const now = this.#seconds.at(-1)!;
    for (const r of recs) {
      if (r.kind === "message") {
        const meta = r.meta as Meta;
        now.messages++;
        if (meta.chain_type === "error" || meta.error === true) now.errors++;
        this.#lastMessage = Date.now();
      } else if ((r as { event?: unknown }).event === "gap") {
        this.#lastGap = Date.now();
      }
    }
  }

  /**
   * Starts checking. `previous` is the status the last recorder left: one that did not stop cleanly raises
   * `recorder-down` (unless a watchdog already did), and this recorder, recording, clears it; so does a gap it left.
   */
  async start(previous: RecorderStatus | null, sessionId: string): Promise<void> {
    if (previous?.unwritten && previous.session.id === sessionId) this.#lastGap = Date.now();
    const downRule = this.config.rules.find((r) => r.kind === "recorder-down");
    if (downRule) {
      const command = this.config.command ?? null;
      if (previous && previous.pid !== process.pid && previous.state !== "stopped") {
        const reason = previous.state === "crashed" ? `crashed: ${previous.errors.at(-1)?.message.split("\n")[0] ?? "no reason given"}` : "it did not stop cleanly";
        this.#remember(await raiseRecorderDown(this.probe.logsDir, { pid: previous.pid, reason, command }, this.probe.onError));
      }
      const cleared = await clearRecorderDown(this.probe.logsDir, process.pid, command, this.probe.onError);
      if (cleared) this.#remember(cleared);
    }
    this.#timer = setInterval(() => void this.#tick(), TICK_MS);
    this.#timer.unref();
    await this.#tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.race([Promise.all(this.#running), new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  status(): AlertStatus {
    return {
      rules: this.config.rules.map((r) => r.text),
      command: this.config.command ?? null,
      active: [...this.#active.values()],
      recent: [...this.#recent],
    };
  }

  async #tick(): Promise<void> {
    const dropped = this.probe.dropped();
    if (dropped > this.#dropped) this.#lastGap = Date.now();
    this.#dropped = dropped;
    for (const rule of this.config.rules) {
      const problem = await this.#check(rule).catch((err: Error) => {
        this.probe.onError(`alert ${rule.text} not checked: ${err.message}`);
        return undefined; // unknown: the alert stays as it is
      });
      if (problem !== undefined) this.#set(rule, problem);
    }
    this.#seconds.push({ messages: 0, errors: 0 });
    if (this.#seconds.length > this.#keepSeconds) this.#seconds.shift();
  }

  /** What is wrong now under `rule`, or null when nothing is. */
  async #check(rule: AlertRule): Promise<string | null> {
    const now = Date.now();
    switch (rule.kind) {
      case "recorder-down":
        return null; // this recorder is up; its death is seen by others (recorderDown.ts)
      case "silence": {
        const quiet = now - this.#lastMessage;
        return quiet >= rule.ms ? `no message for ${Math.round(quiet / 1000)} s (since ${new Date(this.#lastMessage).toISOString()})` : null;
      }
      case "error-rate": {
        const window = this.#seconds.slice(-Math.ceil(rule.windowMs / 1000));
        const messages = window.reduce((n, s) => n + s.messages, 0);
        const errors = window.reduce((n, s) => n + s.errors, 0);
        const rate = messages ? errors / messages : 0;
        return messages >= MIN_WINDOW_MESSAGES && rate >= rule.ratio
          ? `${errors} of ${messages} messages in the last ${rule.windowMs / 1000} s were errors (${pct(rate)}, limit ${pct(rule.ratio)})`
          : null;
      }
      case "disk": {
        const st = await fs.statfs(this.probe.logsDir);
        const used = st.blocks - st.bfree;
        const ratio = used / Math.max(1, used + st.bavail); // as df counts it: the root's reserve is not free for us
        return ratio >= rule.ratio ? `the logs folder's file system is ${pct(ratio)} full (limit ${pct(rule.ratio)}, ${bytes(st.bavail * st.bsize)} free)` : null;
      }
      case "backup-age":
        return backupTooOld(this.probe.logsDir, rule.ms, now);
      case "gap":
        return this.#lastGap > 0 && now - this.#lastGap < rule.quietMs ? `records were lost: a gap event at ${new Date(this.#lastGap).toISOString()}` : null;
    }
  }

  #set(rule: AlertRule, problem: string | null): void {
    const active = this.#active.get(rule.text);
    if (problem !== null && !active) {
      const at = timestamp();
      this.#fire({ alert: rule.kind, rule: rule.text, state: "firing", at, since: at, message: problem, logs_dir: this.probe.logsDir, pid: process.pid });
    } else if (problem === null && active) {
      this.#fire({ ...active, state: "cleared", at: timestamp(), message: `cleared: ${active.message}` });
    }
  }

  #fire(event: AlertEvent): void {
    this.#remember(event);
    const { command } = this.config;
    if (!command) return;
    const run = runAlertCommand(command, event, this.probe.onError);
    this.#running.add(run);
    void run.then(() => this.#running.delete(run));
  }

  #remember(event: AlertEvent): void {
    if (event.state === "firing") this.#active.set(event.rule, event);
    else this.#active.delete(event.rule);
    this.#recent.push(event);
    if (this.#recent.length > RECENT) this.#recent.shift();
  }
}

const pct = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;
const bytes = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`);
