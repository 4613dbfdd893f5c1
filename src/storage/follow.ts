// Follow a session file as it grows, like `tail -F`: complete lines are yielded as they are appended (a partial last
// line waits for its newline), a replaced file (sealed and started anew, or cut shorter) is noticed, and nothing runs
// while nothing changes: the system's file notifications wake the loop.
import { watch, type FSWatcher } from "node:fs";
import fs, { type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Entry } from "./entry.ts";
import { completeEnd } from "./backwardScanner.ts";
import { scanLines } from "./lineScanner.ts";
import { openPrivate } from "./privateFile.ts";
import { Wakeup, watchEntry } from "./changeWake.ts";

export interface FollowOptions {
  /** Where to start in the file (default 0). An offset inside a line (say, a file size taken while the last line was
   * partial) starts at that line's beginning, so the line is yielded whole once complete. */
  fromOffset?: number;
  /** Line number at `fromOffset` (default 0 at offset 0, else -1 = unknown). */
  fromIndex?: number;
  signal?: AbortSignal;
  /** Called when the file was replaced, just before the first line of the new file is yielded. */
  onReplaced?: (file: string) => void;
}

/**
 * What wakes the loop: while a file is followed, a watch on that file itself (an append, a truncation, its rename
 * away or its name taken by another file each notify it), so nothing else in the folder (the recorder's status,
 * checkpoints) wakes the loop, and no event costs a read of the folder; while there is no file at the path, a watch
 * on the folder for that name, to see it made. Raw notifications, none dropped or throttled (an append right after
 * another is never missed).
 */
class PathWatch {
  #watcher: FSWatcher | null = null;
  #onFolder = false;

  constructor(
    private readonly file: string,
    private readonly wake: Wakeup,
  ) {}

  /** Watches the file now at the path (the one just opened); one gone meanwhile is waited for in its folder. */
  onFile(): void {
    this.close();
    try {
      this.#use(watch(this.file, () => this.wake.ring()));
    } catch {
      this.onFolder();
      this.wake.ring();
    }
  }

  /** Watches the folder for a file at the path. A missing folder is an error. */
  onFolder(): void {
    if (this.#onFolder) return;
    this.close();
    this.#use(watchEntry(this.file, () => this.wake.ring()));
    this.#onFolder = true;
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = null;
    this.#onFolder = false;
  }

  #use(watcher: FSWatcher): void {
    watcher.on("error", () => this.wake.ring()); // the loop looks at the path again
    this.#watcher = watcher;
  }
}

export async function* followSession(file: string, opts: FollowOptions = {}): AsyncGenerator<Entry> {
  const { signal, onReplaced } = opts;
  if (signal?.aborted) return;
  const target = path.resolve(file);
  await fs.access(path.dirname(target)); // a missing folder is an error; a missing file is waited for

  const wake = new Wakeup();
  const onAbort = () => wake.ring();
  signal?.addEventListener("abort", onAbort, { once: true });
  const watched = new PathWatch(target, wake);

  let fh: FileHandle | null = null;
  try {
    let ino = -1;
    let pos = opts.fromOffset ?? 0;
    let index = opts.fromIndex ?? (pos === 0 ? 0 : -1);
    let replaced = false; // the followed file went away: the next one at the path is a replacement
    while (!signal?.aborted) {
      if (!fh) {
        watched.onFolder(); // before looking: a file made meanwhile rings it
        fh = await openIfExists(target);
        if (fh) {
          // The watch is set after the open: should the path hold a newer file by then, the stat below sees it.
          watched.onFile();
          const stat = await fh.stat();
          ino = stat.ino;
          if (pos > 0 && pos <= stat.size) pos = await completeEnd(fh, pos);
          if (replaced) onReplaced?.(target);
          replaced = false;
        }
      }
      if (fh) {
        for await (const e of scanLines(fh, { from: pos, to: Infinity, firstIndex: index })) {
          yield e;
          pos = e.offset + e.length + 1;
          if (index >= 0) index++;
          if (signal?.aborted) return;
        }
        const now = await statIfExists(target);
        if (!now || now.ino !== ino || now.size < pos) {
          if (now?.ino !== ino) {
            // renamed away (not cut shorter in place): lines appended just before the rename are in the old file
            for await (const e of scanLines(fh, { from: pos, to: Infinity, firstIndex: index })) yield e;
          }
          await fh.close();
          fh = null;
          replaced = true;
          pos = 0;
          index = 0;
          continue; // the new file is looked for (and waited for in the folder when there is none yet)
        }
      }
      await wake.wait();
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    watched.close();
    await fh?.close();
  }
}

async function openIfExists(file: string): Promise<FileHandle | null> {
  try {
    return await openPrivate(file, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

async function statIfExists(file: string): Promise<{ ino: number; size: number } | null> {
  try {
    return await fs.stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}
