// The analytics pane's figures for the open session or checkpoint: its counts from the search index at once (and
// again every few seconds while a live session grows, less often on a large one), and the full report — chains, reply latency, tokens, cost —
// from `shearwater report --json` in a child process, so a scan of a large session never holds up the screen.
// A live session's full report is made again a while after the last one finished.
import { spawn, type ChildProcess } from "node:child_process";
import { selfCommand } from "../../src/cli/selfCommand.ts";
import type { Report } from "../../src/report/report.ts";
import { readSessionId } from "../../src/storage/sessionFile.ts";
import type { SessionSource } from "./sessionView.ts";

const COUNTS_EVERY_MS = 2_000;
const FULL_AGAIN_AFTER_MS = 30_000;

/** The index's reader, and SQLite with it, is loaded when a pane first asks for figures, not for the first screen. */
const indexReportModule = () => import("../../src/report/indexReport.ts");

/** Fields the index gives fresher than a full report made a while ago. */
const COUNT_FIELDS = [
  "first_ts", "last_ts", "records", "messages", "messages_by_agent", "messages_by_recipient", "messages_by_tier", "messages_by_chain_type",
  "messages_by_tag", "messages_by_topic", "messages_by_hour", "messages_by_hour_of_day", "busiest_hours",
] as const;

export interface AnalyticsView {
  report: Report | null;
  /** Whether a full report is in: until then the report holds the index's counts only. */
  complete: boolean;
  /** What the figures are, for the pane's header: "counts from the index; full report running…". */
  state: string;
}

export class AnalyticsFeed {
  #counts: Report | null = null;
  #full: Report | null = null;
  #state = "reading the index…";
  #child: ChildProcess | null = null;
  #countsTimer?: NodeJS.Timeout;
  #againTimer?: NodeJS.Timeout;
  #closed = false;
  #fullStarted = false;

  constructor(
    private readonly logsDir: string,
    private readonly source: SessionSource,
    private readonly onChange: () => void,
  ) {}

  start(): void {
    void this.#countsNow(); // the full report starts once the index's figures are drawn: they come first
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#countsTimer);
    clearTimeout(this.#againTimer);
    this.#child?.kill();
  }

  view(): AnalyticsView {
    const report = this.#full && this.#counts ? { ...this.#full, ...pick(this.#counts) } : (this.#full ?? this.#counts);
    return { report, complete: this.#full !== null, state: this.#state };
  }

  /** The index's figures, one query per turn of the event loop; then again later while a live session grows. */
  async #countsNow(): Promise<void> {
    const loaded = await indexReportModule().catch((err: Error) => err);
    if (this.#closed) return;
    if (loaded instanceof Error) {
      this.#state = `the index cannot be read: ${loaded.message}`;
      return this.onChange();
    }
    const { indexReportSteps } = loaded;
    const { file, checkpoint } = this.source;
    const steps = indexReportSteps(this.logsDir, { file, bytes: checkpoint?.bytes, what: this.source.title });
    const started = performance.now();
    const step = () => {
      if (this.#closed) return void steps.return(undefined);
      let next: IteratorResult<Report>;
      try {
        next = steps.next();
      } catch {
        next = { done: true, value: undefined }; // the index is being replaced: the next round reads it again
      }
      if (!next.done) {
        this.#counts = next.value;
        this.onChange();
        return void setImmediate(step);
      }
      if (!this.#fullStarted) {
        this.#fullStarted = true;
        void this.#fullReport();
      }
      if (this.source.kind !== "live") return;
      // A large session's counts cost a few scans of the index: never more than a fifth of the time.
      const wait = Math.max(COUNTS_EVERY_MS, 5 * (performance.now() - started));
      this.#countsTimer = setTimeout(() => void this.#countsNow(), wait);
      this.#countsTimer.unref();
    };
    step();
  }

  async #fullReport(): Promise<void> {
    const scope = this.source.checkpoint ? ["--checkpoint", this.source.checkpoint.id]
      : this.source.kind === "live" ? [] : ["--session", (await readSessionId(this.source.file).catch(() => null)) ?? ""];
    if (this.#closed) return;
    this.#state = this.#full ? "full report: updating…" : "full report: running…";
    this.onChange();
    const { command, args } = selfCommand(["report", "--json", "--logs", this.logsDir, ...scope]);
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    this.#child = child;
    const out: Buffer[] = [];
    let err = "";
    child.stdout!.on("data", (d: Buffer) => out.push(d));
    child.stderr!.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-300)));
    child.on("close", (code) => {
      this.#child = null;
      if (this.#closed) return;
      try {
        if (code !== 0) throw new Error(err.trim().split("\n").at(-1) || `exit ${code}`);
        this.#full = JSON.parse(Buffer.concat(out).toString("utf8")) as Report;
        this.#state = `full report of ${new Date(this.#full.generated_at).toISOString().slice(11, 19)} UTC`;
      } catch (e) {
        this.#state = `full report failed: ${(e as Error).message}`;
      }
      this.onChange();
      if (this.source.kind === "live") {
        this.#againTimer = setTimeout(() => void this.#fullReport(), FULL_AGAIN_AFTER_MS);
        this.#againTimer.unref();
      }
    });
  }
}

function pick(counts: Report): Partial<Report> {
  return Object.fromEntries(COUNT_FIELDS.map((k) => [k, counts[k]]));
}
