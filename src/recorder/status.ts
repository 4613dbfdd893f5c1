// The status file: what the recorder is doing, rewritten atomically about once a second (docs/ARCHITECTURE.md).
import path from "node:path";
import { readRecorderStatus, type RecorderStatus } from "../control/recorderStatus.ts";
import { writeFileAtomic, writeFileAtomicSync } from "../storage/atomicFile.ts";
import { timestamp } from "../record.ts";

const HISTORY_SECONDS = 600;
const MAX_ERRORS = 20;

/** Everything in the status that the rate counter does not know. */
export type StatusSnapshot = Omit<RecorderStatus, "updated_at" | "rates" | "history" | "errors">;

export class StatusReporter {
  private readonly history: number[] = [];
  private readonly errors: RecorderStatus["errors"] = [];
  private thisSecond = 0;
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly snapshot: () => StatusSnapshot,
  ) {}

  countMessages(n: number): void {
    this.thisSecond += n;
  }

  error(message: string): void {
    const last = this.errors.at(-1);
    if (last?.message === message) last.at = timestamp(); // a repeating error updates its time instead of flooding
    else this.errors.push({ at: timestamp(), message });
    if (this.errors.length > MAX_ERRORS) this.errors.shift();
  }

  start(): void {
    this.timer = setInterval(() => {
      this.history.push(this.thisSecond);
      this.thisSecond = 0;
      if (this.history.length > HISTORY_SECONDS) this.history.shift();
      void this.write();
    }, 1000);
    this.timer.unref();
  }

  /** Writes now; writes never overlap and a failed write is retried by the next one, which names it in `errors`. */
  write(): Promise<void> {
    this.writing = this.writing.then(() =>
      writeFileAtomic(this.file, JSON.stringify(this.current(), null, 1)).catch((err: Error) => this.error(`status file not written: ${err.message}`)),
    );
    return this.writing;
  }

  /** The status file a previous recorder left (what it could not write, say), read before this one replaces it. */
  previous(): Promise<RecorderStatus | null> {
    return readRecorderStatus(path.dirname(this.file));
  }

  /**
   * The last words of a recorder dying of an unexpected error: state `crashed`, the error, what the writer still
   * held. Synchronous, because the process may not see another turn of the event loop.
   */
  crashed(err: unknown): void {
    this.error(`crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const status = { ...this.current(), state: "crashed" as const };
    try {
      writeFileAtomicSync(this.file, JSON.stringify(status, null, 1));
    } catch {
      // the caller writes recorder.log too; a status that cannot be written leaves that
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.write();
  }

  current(): RecorderStatus {
    const lastMinute = this.history.slice(-60);
    return {
      ...this.snapshot(),
      updated_at: timestamp(),
      rates: {
        last_1s: this.history.at(-1) ?? 0,
        last_1m: lastMinute.length ? Math.round(lastMinute.reduce((a, b) => a + b, 0) / lastMinute.length) : 0,
      },
      history: [...this.history],
      errors: [...this.errors],
    };
  }
}
