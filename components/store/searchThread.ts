// The TUI's searches in threads of their own, started on the first search. A query's index lookups are synchronous
// (SQLite) and a prefix typed on the way to a word can take a good part of a second on a large index: on the
// drawing thread, that held up every frame and key meanwhile. A query typed past is cancelled at once (its hits stop;
// its thread finishes the lookup it is in), and the next query goes to a second thread rather than waiting behind
// it: never more than two run, the one being finished and the one typed.
import { Worker } from "node:worker_threads";
import { packageFile } from "../../src/packageRoot.ts";
import type { SearchCallbacks, SearchHitView } from "../services.ts";

/** Runs built, like the index worker, also when tests import the sources. */
const WORKER = packageFile("dist", "searchWorker.js");
const THREADS = 2;

export type SearchRequest = { id: number; query: string } | { cancel: number };
export type SearchReply = { id: number } & ({ hit: SearchHitView } | { progress: string } | { done: true } | { error: string });

interface Thread {
  worker: Worker;
  /** Queries sent and not yet finished there, cancelled ones included. */
  running: number;
}

interface Pending {
  thread: Thread;
  /** null once cancelled: what still comes of it is dropped. */
  callbacks: SearchCallbacks | null;
  settle: (error?: Error) => void;
}

export class SearchThreads {
  private threads: Thread[] = [];
  private readonly pending = new Map<number, Pending>();
  private freed: Array<() => void> = [];
  private nextId = 1;

  constructor(private readonly logsDir: string) {}

  async search(query: string, callbacks: SearchCallbacks): Promise<void> {
    const thread = await this.idleThread(callbacks.signal);
    if (!thread) return;
    const id = this.nextId++;
    thread.running++;
    await new Promise<void>((resolve, reject) => {
      const pending: Pending = {
        thread,
        callbacks,
        settle: (error) => {
          if (!pending.callbacks) return; // cancelled already: settled then
          pending.callbacks = null;
          callbacks.signal.removeEventListener("abort", onAbort);
          if (error) reject(error);
          else resolve();
        },
      };
      const onAbort = () => {
        thread.worker.postMessage({ cancel: id } satisfies SearchRequest);
        pending.settle();
      };
      callbacks.signal.addEventListener("abort", onAbort, { once: true });
      this.pending.set(id, pending);
      thread.worker.postMessage({ id, query } satisfies SearchRequest);
    });
  }

  async stop(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  /** A thread with nothing running, a new one while there are fewer than THREADS, else the first to be free. */
  private async idleThread(signal: AbortSignal): Promise<Thread | null> {
    while (!signal.aborted) {
      const idle = this.threads.find((t) => t.running === 0);
      if (idle) return idle;
      if (this.threads.length < THREADS) return this.started();
      await new Promise<void>((resolve) => {
        this.freed.push(resolve);
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
    return null;
  }

  private started(): Thread {
    const thread: Thread = { worker: new Worker(WORKER, { workerData: { logsDir: this.logsDir } }), running: 0 };
    thread.worker.unref(); // a search never keeps the program from ending
    thread.worker.on("message", (r: SearchReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      if ("hit" in r) p.callbacks?.onHit(r.hit);
      else if ("progress" in r) p.callbacks?.onProgress(r.progress);
      else this.finished(r.id, "error" in r ? new Error(r.error) : undefined);
    });
    const lost = (err: Error) => {
      this.threads = this.threads.filter((t) => t !== thread); // the next search starts a new one
      for (const [id, p] of this.pending) if (p.thread === thread) this.finished(id, new Error(`the search stopped: ${err.message}`));
    };
    thread.worker.on("error", lost);
    thread.worker.on("exit", (code) => lost(new Error(`its thread ended (${code})`)));
    this.threads.push(thread);
    return thread;
  }

  private finished(id: number, error?: Error): void {
    const p = this.pending.get(id)!;
    this.pending.delete(id);
    p.thread.running--;
    p.settle(error);
    const freed = this.freed;
    this.freed = [];
    for (const wake of freed) wake();
  }
}
