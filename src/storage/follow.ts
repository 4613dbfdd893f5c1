// Follow a session file as it grows, like `tail -F`: complete lines are yielded as they are appended (a partial last
// line waits for its newline), a replaced file (sealed and started anew, or cut shorter) is noticed, and nothing runs
// while nothing changes: chokidar's notifications wake the loop.
import chokidar from "chokidar";
import fs, { type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Entry } from "./entry.ts";
import { completeEnd } from "./backwardScanner.ts";
import { scanLines } from "./lineScanner.ts";
import { openPrivate } from "./privateFile.ts";

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

/** Resolves `wait()` once something was rung since the last wait; rings that come while reading are not lost. */
class Wakeup {
  #rung = false;
  #resolve: (() => void) | null = null;

  ring(): void {
    this.#rung = true;
    this.#resolve?.();
  }

  async wait(): Promise<void> {
    if (!this.#rung) await new Promise<void>((resolve) => (this.#resolve = resolve));
    this.#resolve = null;
    this.#rung = false;
  }
}

export async function* followSession(file: string, opts: FollowOptions = {}): AsyncGenerator<Entry> {
  const { signal, onReplaced } = opts;
  if (signal?.aborted) return;
  const target = path.resolve(file);
  const dir = path.dirname(target);
  const name = path.basename(target);
  await fs.access(dir); // a missing folder is an error; a missing file is waited for

  const wake = new Wakeup();
  const onAbort = () => wake.ring();
  signal?.addEventListener("abort", onAbort, { once: true });
  // The folder is watched (not only the file) so a new file at the path is seen. Raw events are not throttled the
  // way chokidar's "change" is (one per 5 ms), so an append right after another is never missed.
  const watcher = chokidar.watch(dir, { depth: 0, ignoreInitial: true, ignored: (p: string) => p !== dir && p !== target });
  watcher.on("all", (_event, p) => p === target && wake.ring());
  watcher.on("raw", (_event, p) => path.basename(p) === name && wake.ring());
  watcher.on("error", () => wake.ring());

  let fh: FileHandle | null = null;
  try {
    let ready = false;
    watcher.once("ready", () => {
      ready = true;
      wake.ring();
    });
    while (!ready && !signal?.aborted) await wake.wait();
    let ino = -1;
    let pos = opts.fromOffset ?? 0;
    let index = opts.fromIndex ?? (pos === 0 ? 0 : -1);
    let replaced = false; // the followed file went away: the next one at the path is a replacement
    while (!signal?.aborted) {
      if (!fh) {
        fh = await openIfExists(target);
        if (fh) {
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
          if (now) continue; // the new file is there already
        }
      }
      await wake.wait();
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await watcher.close();
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
