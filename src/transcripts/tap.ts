// Live taps: the recorder follows the folders where agents keep their transcripts (Claude Code, Gemini CLI, Codex
// CLI) and records each new complete line of any transcript file there into the current session, as import would.
// chokidar wakes a file's reader on every change (no polling at rest); a line written in pieces is read once whole.
// A tap folder followed for the first time is taken from the end of its files (its history is for `import`); a file
// that appears later is read from its start. Positions survive restarts (tapState.ts).
import chokidar, { type FSWatcher } from "chokidar";
import fs from "node:fs/promises";
import path from "node:path";
import type { AppendRecord } from "../storage/recordJson.ts";
import { catchUp, loadTapState, saveTapState, type TapStateData } from "./tapState.ts";
import { TranscriptReader } from "./transcriptReader.ts";
import type { TapSpec } from "./tapSpec.ts";
import type { TranscriptFormat } from "./types.ts";

/** What a tap records into: the recorder's writer, narrowed to what taps need. */
export interface TapTarget {
  /** Resolves once the records are durable. */
  append(recs: AppendRecord[]): Promise<unknown>;
  /** The active session and its durable size. */
  position(): { session: string; bytes: number };
  /** A transcript that could not be read (the tap goes on with the others). */
  onError?(message: string): void;
}

export interface TapStats {
  files: number;
  records: number;
  /** Transcript files deleted (by their agent's cleanup) after they were tapped: what was recorded stays. */
  vanished: number;
  errors: number;
  lastError?: string;
}

export interface Taps {
  stats(): TapStats;
  stop(): Promise<void>;
}

/** The save of positions waits this long for more lines (the state file is rewritten at most this often). */
const SAVE_DELAY_MS = 250;

export async function startTaps(logsDir: string, specs: TapSpec[], target: TapTarget): Promise<Taps> {
  const state = await loadTapState(logsDir);
  await catchUp(logsDir, state, target.position().session);
  const tap = new TapRunner(logsDir, state, target);
  const firstTime = new Set(specs.map(folderKey).filter((key) => !state.folders[key]));
  for (const key of firstTime) state.folders[key] = new Date().toISOString();
  // Saved before any record: after a crash, a file found in a folder already followed is new, so read whole.
  if (firstTime.size > 0) {
    const { session, bytes } = target.position();
    await saveTapState(logsDir, { ...state, session, session_bytes: bytes });
  }
  await Promise.all(specs.map((s) => tap.follow(s, firstTime.has(folderKey(s)))));
  return tap;
}

const folderKey = (spec: TapSpec) => `${spec.format}:${spec.dir}`;

class TapRunner implements Taps {
  readonly #readers = new Map<string, TranscriptReader>();
  /** Per file: the read in progress, and whether another change came meanwhile. */
  readonly #busy = new Map<string, { again: boolean; done: Promise<void> }>();
  readonly #watchers: FSWatcher[] = [];
  readonly #stats: TapStats = { files: 0, records: 0, vanished: 0, errors: 0 };
  #saveTimer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(
    private readonly logsDir: string,
    private readonly state: TapStateData,
    private readonly target: TapTarget,
  ) {}

  /** `firstTime`: the folder was never followed before, so the files already in it are taken from their end. */
  async follow(spec: TapSpec, firstTime: boolean): Promise<void> {
    let ready = false;
    const watcher = chokidar.watch(spec.dir, {
      ignoreInitial: false,
      ignored: (p: string, st?: { isFile(): boolean }) => st?.isFile() === true && !p.endsWith(".jsonl"),
    });
    this.#watchers.push(watcher);
    watcher.on("add", (file: string) => this.#changed(spec.format, file, firstTime && !ready));
    watcher.on("change", (file: string) => this.#changed(spec.format, file, false));
    watcher.on("raw", (_event, name, details) => {
      const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
      const file = watched && name && path.basename(watched) !== name ? path.join(watched, name) : watched;
      if (file && this.#readers.has(file)) this.#changed(spec.format, file, false);
    });
    watcher.on("unlink", (file: string) => {
      if (this.#readers.delete(file)) this.#stats.vanished++;
    });
    watcher.on("error", (err: unknown) => this.#failed(err));
    await new Promise<void>((resolve) => watcher.once("ready", resolve));
    ready = true;
    await Promise.all([...this.#busy.values()].map((b) => b.done));
    this.#saveSoon();
  }

  stats(): TapStats {
    return { ...this.#stats, files: this.#readers.size };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#watchers.map((w) => w.close()));
    await Promise.all([...this.#busy.values()].map((b) => b.done));
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    await this.#save();
  }

  /** Reads the file now, or once more after the read in progress (a change during a read is never lost). */
  #changed(format: TranscriptFormat, file: string, atEnd: boolean): void {
    if (this.#stopped || !file.endsWith(".jsonl")) return;
    const busy = this.#busy.get(file);
    if (busy) {
      busy.again = true;
      return;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await this.#read(format, file, atEnd);
        } while (entry.again && !this.#stopped);
      } catch (err) {
        this.#failed(err);
      } finally {
        this.#busy.delete(file);
      }
    })();
    this.#busy.set(file, entry);
  }

  async #read(format: TranscriptFormat, file: string, atEnd: boolean): Promise<void> {
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // gone before it was read
      throw err;
    }
    try {
      const st = await fh.stat();
      let known = this.state.files[file];
      const replaced = known && known.ino !== -1 && (known.ino !== st.ino || known.dev !== st.dev || st.size < known.offset);
      if (!known || replaced) {
        const start = atEnd ? await lineEnd(fh, st.size) : 0;
        known = this.state.files[file] = { format, dev: st.dev, ino: st.ino, offset: start, line: 1 };
        this.#readers.delete(file);
      }
      Object.assign(known, { dev: st.dev, ino: st.ino });
      let reader = this.#readers.get(file);
      const emitFrom = reader ? 0 : known.offset;
      if (!reader) {
        reader = new TranscriptReader(file, format);
        this.#readers.set(file, reader);
      }
      for await (const batch of reader.read(fh, emitFrom)) {
        await this.target.append(batch);
        this.#stats.records += batch.length;
      }
      Object.assign(known, reader.position);
      this.#saveSoon();
    } finally {
      await fh.close();
    }
  }

  #saveSoon(): void {
    if (this.#saveTimer || this.#stopped) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null;
      void this.#save().catch((err) => this.#failed(err));
    }, SAVE_DELAY_MS);
    this.#saveTimer.unref();
  }

  /** Positions as they are: every record they count was durable before they moved. */
  async #save(): Promise<void> {
    const { session, bytes } = this.target.position();
    this.state.session = session;
    this.state.session_bytes = bytes;
    await saveTapState(this.logsDir, this.state);
  }

  #failed(err: unknown): void {
    this.#stats.errors++;
    this.#stats.lastError = err instanceof Error ? err.message : String(err);
    this.target.onError?.(this.#stats.lastError);
  }
}

/** The end of the file's last complete line: where a file first seen at a tap's first start is taken from. */
async function lineEnd(fh: fs.FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(Math.min(size, 64 * 1024));
  for (let end = size; end > 0; end -= chunk.length) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await fh.read(chunk, 0, end - start, start);
    const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl !== -1) return start + nl + 1;
  }
  return 0;
}
