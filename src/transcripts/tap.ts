// Live taps: the recorder follows the folders where agents keep their transcripts (Claude Code, Gemini CLI, Codex
// CLI) and records each new complete line of any transcript file there into the current session, as import would.
// chokidar wakes a file's reader on every change (no polling at rest); a line written in pieces is read once whole.
// A tap folder followed for the first time is taken from the end of its files (its history is for `import`); a file
// that appears later is read from its start. Positions survive restarts (tapState.ts). A rewind, known only from a
// line written after the messages it takes back, is recorded as an event once a read shows it (rewindEvent.ts).
import chokidar, { type FSWatcher } from "chokidar";
import fs from "node:fs/promises";
import path from "node:path";
import type { AppendRecord } from "../storage/recordJson.ts";
import { rewindFinderFor } from "./formats.ts";
import { isLegacyTranscriptName, legacyKey, readLegacyTranscript } from "./legacyTap.ts";
import { rewoundEvent } from "./rewindEvent.ts";
import type { RewindFinder } from "./rewinds.ts";
import { catchUp, loadTapState, saveTapState, type TapStateData, type TappedFile } from "./tapState.ts";
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
  /** Rewind events recorded. */
  rewinds: number;
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

/** A file being followed: its reader, and the tree its rewinds are found in (none for Codex). */
interface Followed {
  reader: TranscriptReader;
  rewinds: RewindFinder | null;
  lastRead: number;
}

/**
 * A reader idle this long is let go: its rewind tree holds every line of its file, and most files in a tap folder
 * are old conversations. When the file changes again a new reader reads it from its first line (as after a restart).
 */
const IDLE_READER_MS = 5 * 60_000;

/** The files a tap reads: JSONL transcripts, and for Gemini its legacy JSON files too. */
function isTranscript(format: TranscriptFormat, file: string): boolean {
  return file.endsWith(".jsonl") || isLegacy(format, file);
}

function isLegacy(format: TranscriptFormat, file: string): boolean {
  return format === "gemini" && isLegacyTranscriptName(file);
}

class TapRunner implements Taps {
  /** The transcript files followed (the status counts them; one deleted is counted as vanished). */
  readonly #files = new Set<string>();
  /** Readers of the JSONL files read lately (a legacy Gemini file is read whole each time: nothing is kept). */
  readonly #readers = new Map<string, Followed>();
  readonly #sweeper = setInterval(() => this.#dropIdleReaders(), IDLE_READER_MS / 2).unref();
  /** Legacy files first seen at a tap's first start but torn then: their messages, once read, are history. */
  readonly #history = new Set<string>();
  /** Per file: the read in progress, and whether another change came meanwhile. */
  readonly #busy = new Map<string, { again: boolean; done: Promise<void> }>();
  readonly #watchers: FSWatcher[] = [];
  readonly #stats: TapStats = { files: 0, records: 0, rewinds: 0, vanished: 0, errors: 0 };
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
      ignored: (p: string, st?: { isFile(): boolean }) => st?.isFile() === true && !isTranscript(spec.format, p),
    });
    this.#watchers.push(watcher);
    watcher.on("add", (file: string) => this.#changed(spec.format, file, firstTime && !ready));
    watcher.on("change", (file: string) => this.#changed(spec.format, file, false));
    watcher.on("raw", (_event, name, details) => {
      const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
      const file = watched && name && path.basename(watched) !== name ? path.join(watched, name) : watched;
      if (file && this.#files.has(file)) this.#changed(spec.format, file, false);
    });
    watcher.on("unlink", (file: string) => {
      this.#readers.delete(file);
      if (this.#files.delete(file)) this.#stats.vanished++;
    });
    watcher.on("error", (err: unknown) => this.#failed(err));
    await new Promise<void>((resolve) => watcher.once("ready", resolve));
    ready = true;
    await Promise.all([...this.#busy.values()].map((b) => b.done));
    // At once, not soon: what was noted of the files found at a first start (where their history ends) is in the
    // state alone, and a crash before it is saved would have that history recorded as new.
    await this.#save();
  }

  stats(): TapStats {
    return { ...this.#stats, files: this.#files.size };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#sweeper);
    await Promise.all(this.#watchers.map((w) => w.close()));
    await Promise.all([...this.#busy.values()].map((b) => b.done));
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    await this.#save();
  }

  /** Reads the file now, or once more after the read in progress (a change during a read is never lost). */
  #changed(format: TranscriptFormat, file: string, atEnd: boolean): void {
    if (this.#stopped || !isTranscript(format, file)) return;
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
      if (isLegacy(format, file)) await this.#readLegacy(file, fh, atEnd);
      else await this.#readLines(format, file, fh, atEnd);
      this.#saveSoon();
    } finally {
      await fh.close();
    }
  }

  /** The complete lines a JSONL transcript gained since the last read. */
  async #readLines(format: TranscriptFormat, file: string, fh: fs.FileHandle, atEnd: boolean): Promise<void> {
    const st = await fh.stat();
    let known = this.state.files[file];
    const replaced = known && known.ino !== -1 && (known.ino !== st.ino || known.dev !== st.dev || st.size < known.offset);
    if (!known || replaced) {
      const start = atEnd ? await lineEnd(fh, st.size) : 0;
      known = this.state.files[file] = { format, dev: st.dev, ino: st.ino, offset: start, line: 1 };
      this.#readers.delete(file);
    }
    Object.assign(known, { dev: st.dev, ino: st.ino });
    let followed = this.#readers.get(file);
    const emitFrom = followed ? 0 : known.offset;
    // A new reader reads the whole file: a rewind in lines recorded before (by a recorder that died before its event)
    // is found too.
    let askRewinds = !followed;
    if (!followed) {
      const rewinds = rewindFinderFor(format);
      // A new reader starts at the file's first line, so the tree of its rewinds is whole.
      followed = { reader: new TranscriptReader(file, format, undefined, rewinds ? (l, v) => rewinds.add(l, v) : undefined), rewinds, lastRead: 0 };
      this.#readers.set(file, followed);
      this.#files.add(file);
    }
    followed.lastRead = Date.now();
    for await (const batch of followed.reader.read(fh, emitFrom)) {
      await this.target.append(batch);
      known.first_line ??= batch[0].meta.source.line;
      this.#stats.records += batch.length;
      askRewinds = true;
    }
    Object.assign(known, followed.reader.position);
    if (askRewinds && followed.rewinds) await this.#recordRewinds(format, file, known, followed.rewinds);
  }

  /**
   * A legacy Gemini file, read whole: the messages no record has yet. One first seen at a tap's first start is
   * history (for import): its messages are only noted, even when it is torn then and whole at a later change.
   */
  async #readLegacy(file: string, fh: fs.FileHandle, atEnd: boolean): Promise<void> {
    if (atEnd && !this.state.files[file]) this.#history.add(file);
    const records = await readLegacyTranscript(file, fh);
    if (!records) return; // torn: read again at its next change
    const st = await fh.stat();
    const known = (this.state.files[file] ??= { format: "gemini", dev: st.dev, ino: st.ino, offset: 0, line: 1, ids: [] });
    Object.assign(known, { dev: st.dev, ino: st.ino });
    this.#files.add(file);
    const history = this.#history.delete(file);
    const ids = new Set(known.ids);
    const fresh = records.filter((r) => !ids.has(legacyKey(r.meta.source)));
    if (fresh.length > 0 && !history) {
      await this.target.append(fresh);
      this.#stats.records += fresh.length;
    }
    known.ids = [...ids, ...fresh.map((r) => legacyKey(r.meta.source))];
  }

  /**
   * An event for the lines this read showed rewound: of those the tap recorded (not a file's history from before it
   * was tapped), the ones no earlier event named.
   */
  async #recordRewinds(format: TranscriptFormat, file: string, known: TappedFile, rewinds: RewindFinder): Promise<void> {
    const first = known.first_line;
    if (first === undefined) return;
    const named = new Set(known.rewound);
    const fresh = [...rewinds.rewound()].filter((line) => line >= first && !named.has(line));
    if (fresh.length === 0) return;
    const event = rewoundEvent(format, file, fresh, rewinds);
    await this.target.append([event]);
    known.rewound = [...named, ...event.lines];
    this.#stats.rewinds++;
  }

  #dropIdleReaders(): void {
    const before = Date.now() - IDLE_READER_MS;
    for (const [file, followed] of this.#readers) if (followed.lastRead < before && !this.#busy.has(file)) this.#readers.delete(file);
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
