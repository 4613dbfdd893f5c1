// The TUI's actions wired to the system: checkpoint / new / load through the recorder's control channel when a
// recorder runs (it owns the session file), else directly on the files; search through the one search module in a
// thread of its own, with the background indexer keeping the index up to date while the TUI is open.
import { compactAfter } from "../../src/compact/autoCompact.ts";
import { NoRecorderError, sendControl } from "../../src/control/client.ts";
import type { IndexerHandle } from "../../src/search/backgroundIndexer.ts";
import type { IndexProgress } from "../../src/search/indexer.ts";
import { createCheckpoint, snapshotOfFile, type CheckpointInfo } from "../../src/storage/checkpoints.ts";
import { loadCheckpoint, newSession } from "../../src/storage/sessions.ts";
import { sanitizeForTerminal } from "../../src/text/sanitize.ts";
import { bytesText } from "../format.ts";
import type { SearchCallbacks, TuiServices } from "../services.ts";
import { SearchThreads } from "./searchThread.ts";

/** Through the recorder when one answers, else the same operation on the files. */
async function viaRecorder<T>(logsDir: string, cmd: "checkpoint" | "new" | "load", args: object, direct: () => Promise<T>): Promise<unknown> {
  try {
    return await sendControl(logsDir, cmd, args);
  } catch (err) {
    if (err instanceof NoRecorderError) return direct();
    throw err;
  }
}

function describeCheckpoint(result: unknown): string {
  const cp = result as Partial<CheckpointInfo> | null;
  return cp?.id ? `Checkpoint ${cp.id} taken: ${cp.messages ?? "?"} msgs, ${bytesText(cp.bytes ?? 0)}.` : "Checkpoint taken.";
}

/** How long quitting waits for the index worker to finish its batch before leaving it to finish alone. */
const INDEXER_QUIT_WAIT_MS = 500;

export class LiveServices implements TuiServices {
  private indexer: Promise<IndexerHandle | null> | null = null;
  private progress: IndexProgress | null = null;
  private disposed = false;
  private readonly searches: SearchThreads;

  constructor(private readonly logsDir: string) {
    this.searches = new SearchThreads(logsDir);
  }

  /** Keeps the search index following the sessions until `dispose`. Its module (and SQLite) loads only now. */
  startIndexing(onChange: () => void): void {
    this.indexer = import("../../src/search/backgroundIndexer.ts").then(({ startIndexer }) =>
      this.disposed ? null : startIndexer(this.logsDir, {
        follow: true,
        onProgress: (p) => {
          this.progress = p;
          onChange();
        },
      }),
    );
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([this.indexer?.then((indexer) => indexer?.stop(INDEXER_QUIT_WAIT_MS)), this.searches.stop()]);
  }

  async checkpoint(label: string): Promise<string> {
    const result = await viaRecorder(this.logsDir, "checkpoint", { label }, async () =>
      createCheckpoint(this.logsDir, await snapshotOfFile(this.logsDir), label),
    );
    return describeCheckpoint(result);
  }

  async newSession(): Promise<string> {
    await viaRecorder(this.logsDir, "new", {}, () => compactAfter(this.logsDir, newSession(this.logsDir)));
    return "New session started. The previous one was checkpointed and sealed.";
  }

  async load(cp: CheckpointInfo): Promise<string> {
    await viaRecorder(this.logsDir, "load", { checkpoint: cp.id }, () => compactAfter(this.logsDir, loadCheckpoint(this.logsDir, cp.id)));
    return `Loaded "${sanitizeForTerminal(cp.label || cp.id)}" (${cp.messages} msgs) into a new session. The previous one was checkpointed and sealed.`;
  }

  /** In the search threads: the drawing goes on while a query runs. */
  search(query: string, callbacks: SearchCallbacks): Promise<void> {
    return this.searches.search(query, callbacks);
  }

  indexState(): string {
    const p = this.progress;
    if (!this.indexer) return "not running";
    if (!p) return "starting";
    if (p.bytesDone >= p.bytesTotal) return `up to date (${bytesText(p.bytesTotal)} of sessions)`;
    return `building: ${bytesText(p.bytesDone)} of ${bytesText(p.bytesTotal)} (${Math.round((p.bytesDone / Math.max(1, p.bytesTotal)) * 100)}%)`;
  }
}
