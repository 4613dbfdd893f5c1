// A push to completion, or with `follow` a push that keeps shipping new records as they are written (passes back
// to back while records come, one every POLL_MS when none do, so a record reaches the archive within a second) and rides out a lost server: each failure after the
// first connection is reported, and the next pass reconnects with back-off and starts from what the archive holds.
import { setTimeout as sleep } from "node:timers/promises";
import { openArchive } from "./openArchive.ts";
import { Pusher, type PushLimits, type PushTotals } from "./pusher.ts";
import { sourceOf, type SourceInfo } from "./sourceIdentity.ts";
import type { ArchiveStore } from "./archiveStore.ts";

const POLL_MS = 200;
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

export interface PushRun {
  logsDir: string;
  url: string;
  follow?: boolean;
  signal?: AbortSignal;
  limits?: PushLimits;
  /** Each pass's figures (following: only passes that stored something). */
  onPass?: (totals: PushTotals, info: { archive: string; source: SourceInfo }) => void;
  onBatch?: (stored: number) => void;
  /** Following: a failed pass, and when the next try comes. */
  onRetry?: (err: Error, retryInMs: number) => void;
}

export async function push(run: PushRun): Promise<void> {
  const source = await sourceOf(run.logsDir);
  let store: ArchiveStore | null = await openArchive(run.url, "write");
  const pusher = new Pusher(run.logsDir, source, store, run.limits);
  let retry = FIRST_RETRY_MS;
  try {
    for (;;) {
      try {
        if (!store) {
          store = await openArchive(run.url, "write");
          pusher.reconnected(store);
        }
        const totals = await pusher.pushOnce(run.onBatch);
        retry = FIRST_RETRY_MS;
        if (!run.follow || totals.records > 0 || totals.checkpoints > 0) run.onPass?.(totals, { archive: store.location.shown, source });
        if (!run.follow) return;
        // While records keep coming the next pass starts at once (the lag is then about one pass, not a pass and a
        // wait); only a pass that found nothing new waits before looking again.
        await sleep(totals.records > 0 ? 0 : POLL_MS, undefined, { signal: run.signal });
      } catch (err) {
        if (isAbort(err) || run.signal?.aborted) return;
        if (!run.follow) throw err;
        run.onRetry?.(err as Error, retry);
        await store?.close();
        store = null;
        await sleep(retry, undefined, { signal: run.signal }).catch(() => {});
        if (run.signal?.aborted) return;
        retry = Math.min(retry * 2, MAX_RETRY_MS);
      }
    }
  } finally {
    await store?.close();
  }
}

function isAbort(err: unknown): boolean {
  return (err as Error)?.name === "AbortError";
}
