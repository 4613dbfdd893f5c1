// Starts the index worker (a child process) and reports how far the index is behind the session files.
import { spawn } from "node:child_process";
import { finishesWithin } from "../deadline.ts";
import { packageFile } from "../packageRoot.ts";
import type { IndexProgress } from "./indexer.ts";
import type { WorkerMessage } from "./indexWorker.ts";
import { listSessionFiles } from "./sessionFiles.ts";

/** The worker runs built, like every process of the program (`npm run build`), also when tests import the sources. */
const WORKER = packageFile("dist", "indexWorker.js");

export interface IndexerHandle {
  /** Resolves when the worker has exited: caught up (`once`), stopped, or another worker already runs. */
  readonly exited: Promise<void>;
  /**
   * Asks the worker to stop and waits for it at most `waitMs`. A worker still finishing its batch then goes on alone
   * (its writes are transactions, and it leaves once its parent is gone) without holding this process open.
   */
  stop(waitMs?: number): Promise<void>;
}

export interface IndexerOptions {
  /** Keep following the active session until stopped (the TUI); otherwise catch up once and exit. */
  follow?: boolean;
  /** Outlive this process (the CLI: the next search finds the index built). No progress is reported then. */
  detached?: boolean;
  onProgress?: (p: IndexProgress) => void;
}

export function startIndexer(logsDir: string, opts: IndexerOptions = {}): IndexerHandle {
  // A larger young generation: indexing makes many short-lived objects, and this cuts collection time by a third.
  const args = ["--max-semi-space-size=64", "--enable-source-maps", WORKER, logsDir, opts.follow ? "follow" : "once"];
  const child = opts.detached
    ? spawn(process.execPath, args, { detached: true, stdio: "ignore" })
    : spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  if (opts.detached) child.unref();
  child.on("message", (msg: WorkerMessage) => {
    if (msg.type === "progress") opts.onProgress?.(msg.progress);
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  return {
    exited,
    async stop(waitMs = Infinity) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      if (await finishesWithin(exited, waitMs)) return;
      if (child.connected) child.disconnect();
      child.unref();
    },
  };
}

/** Bytes of session files indexed so far and in all, read from the index itself (any process can ask). */
export async function indexProgress(logsDir: string): Promise<IndexProgress> {
  // SQLite loads here, not with startIndexer: the TUI starts the worker and reads the index only when asked to.
  const [files, { openIndexForReading }] = await Promise.all([listSessionFiles(logsDir), import("./indexStore.ts")]);
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  const db = openIndexForReading(logsDir);
  if (!db) return { bytesDone: 0, bytesTotal };
  try {
    const rows = db.prepare("SELECT session, ino, indexed_to AS indexedTo FROM files").all() as Array<{
      session: string;
      ino: number;
      indexedTo: number;
    }>;
    const done = new Map(rows.map((r) => [`${r.session}:${r.ino}`, r.indexedTo]));
    const bytesDone = files.reduce((n, f) => n + Math.min(f.size, done.get(`${f.session}:${f.ino}`) ?? 0), 0);
    return { bytesDone, bytesTotal };
  } finally {
    db.close();
  }
}
