// The TUI's actions wired to the system: checkpoint / new / load through the recorder's control channel when a
// recorder runs (it owns the session file), else directly on the files; search through the one search module,
// with the background indexer keeping the index up to date while the TUI is open.
import { compactAfter } from "../../src/compact/autoCompact.ts";
import { NoRecorderError, sendControl } from "../../src/control/client.ts";
import { startIndexer, type IndexerHandle } from "../../src/search/backgroundIndexer.ts";
import type { IndexProgress } from "../../src/search/indexer.ts";
import { search } from "../../src/search/search.ts";
import { createCheckpoint, snapshotOfFile, type CheckpointInfo } from "../../src/storage/checkpoints.ts";
import { loadCheckpoint, newSession } from "../../src/storage/sessions.ts";
import { sanitizeForTerminal } from "../../src/text/sanitize.ts";
import { bytesText, timeOf } from "../format.ts";
import { matchedWords, sanitizeMarked } from "../highlight.ts";
import type { HitFields } from "../../src/search/hitFields.ts";
import type { SearchCallbacks, SearchHitView, TuiServices } from "../services.ts";

export const SEARCH_LIMIT = 50;

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

/** A hit as the screen shows it (`session`: how the store's `locate` finds it again). */
export function hitView(h: HitFields, session = h.session): SearchHitView {
  return {
    session,
    seq: h.seq,
    time: timeOf(h.ts),
    who: sanitizeForTerminal(`${h.agent || h.topic}${h.recipient ? ` → ${h.recipient}` : ""}`),
    snippet: sanitizeMarked(h.snippet.text, h.snippet.hits),
    words: matchedWords(h.snippet.text, h.snippet.hits),
  };
}

export class LiveServices implements TuiServices {
  private indexer: IndexerHandle | null = null;
  private progress: IndexProgress | null = null;

  constructor(private readonly logsDir: string) {}

  /** Keeps the search index following the sessions until `dispose`. */
  startIndexing(onChange: () => void): void {
    this.indexer = startIndexer(this.logsDir, {
      follow: true,
      onProgress: (p) => {
        this.progress = p;
        onChange();
      },
    });
  }

  async dispose(): Promise<void> {
    await this.indexer?.stop();
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

  async search(query: string, { signal, onHit, onProgress }: SearchCallbacks): Promise<void> {
    const stream = search(this.logsDir, query, {
      scope: "all",
      limit: SEARCH_LIMIT,
      signal,
      onProgress: (p) => {
        if (p.scanBytes > 0 && !p.done) onProgress(`scanning what the index does not cover yet: ${Math.round((p.scannedBytes / p.scanBytes) * 100)}%`);
      },
    });
    for await (const h of stream) {
      if (signal.aborted) break;
      onHit(hitView(h));
    }
  }

  indexState(): string {
    const p = this.progress;
    if (!this.indexer) return "not running";
    if (!p) return "starting";
    if (p.bytesDone >= p.bytesTotal) return `up to date (${bytesText(p.bytesTotal)} of sessions)`;
    return `building: ${bytesText(p.bytesDone)} of ${bytesText(p.bytesTotal)} (${Math.round((p.bytesDone / Math.max(1, p.bytesTotal)) * 100)}%)`;
  }
}
