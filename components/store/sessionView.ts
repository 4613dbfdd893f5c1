// One session file opened for the message viewer. It shows the newest lines at once (read backwards, no index),
// builds the line index in the background, then reads only the rows on screen. The current session is followed
// as it grows; new lines are announced through `onChange`, which the store batches into frames.
import fs from "node:fs/promises";
import type { Entry } from "../../src/storage/entry.ts";
import { SessionReader } from "../../src/storage/sessionReader.ts";
import { followSession } from "../../src/storage/follow.ts";
import { RewoundMarks } from "../../src/transcripts/rewindEvent.ts";

export interface SessionSource {
  kind: "live" | "fixed";
  file: string;
  title: string;
  /** A checkpoint is a prefix of its session: only its first `records` lines belong to it. */
  records?: number;
  /** The checkpoint shown (its id and where its prefix ends), for the analytics pane. */
  checkpoint?: { id: string; bytes: number };
}

/** How many of the newest lines to show before the index exists: more than any screen is tall. */
const TAIL_LINES = 300;
/** At most this many newly appended lines are read ahead for the live tail. */
const NEWEST_PREFETCH = 200;
/** Rows kept in memory around the screen; beyond this the cache starts over. */
const CACHE_LIMIT = 4000;

export class SessionView {
  private reader: SessionReader | null = null;
  /** Before the index exists: the newest lines, oldest first (then lines followed since). */
  private tailRows: Entry[] = [];
  private cache = new Map<number, Entry>();
  /** Rewinds a live tap recorded (an event after the messages it names): applied to the rows held and to come. */
  private rewinds = new RewoundMarks();
  private loading = new Set<number>();
  private aborter = new AbortController();
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private indexDone: Promise<void> | null = null;
  indexed = false;
  /** 0…1 while the index is being built. */
  progress: number | null = null;
  total = 0;
  error: string | null = null;

  constructor(
    readonly source: SessionSource,
    private readonly onChange: (why: "rows" | "rebased" | "replaced") => void,
  ) {}

  /** Resolves once the first screen can be drawn; indexing and following go on in the background. */
  async open(): Promise<void> {
    const startSize = await fs.stat(this.source.file).then((s) => s.size, () => 0);
    this.reader = await SessionReader.open(this.source.file);
    if (this.source.kind === "live") {
      this.tailRows = await this.reader.tail(TAIL_LINES);
      this.took(this.tailRows);
      this.total = this.tailRows.length;
      void this.follow(startSize);
    }
    // The index is built after the first screen has had its turn on the event loop.
    this.indexDone = new Promise((resolve) => setImmediate(resolve)).then(() => this.index());
  }

  /** The row holding record `seq` (-1 when none), once the index is built. */
  async indexOfSeq(seq: number): Promise<number> {
    await this.indexDone;
    if (!this.reader || !this.indexed) return -1;
    const i = await this.reader.indexOfSeq(seq);
    return i < this.total ? i : -1;
  }

  row(i: number): Entry | undefined {
    return this.indexed ? this.cache.get(i) : this.tailRows[i];
  }

  /** Make sure rows [start, end) are loaded; announces a change when they arrive. */
  want(start: number, end: number): void {
    if (!this.indexed || !this.reader) return;
    end = Math.min(end, this.total);
    let from = Math.max(0, start);
    while (from < end && (this.cache.has(from) || this.loading.has(from))) from++;
    let to = end;
    while (to > from && (this.cache.has(to - 1) || this.loading.has(to - 1))) to--;
    if (from >= to) return;
    if (this.cache.size > CACHE_LIMIT) {
      // Keep what is near the screen; drop the rest (e.g. lines the live tail read ahead and scrolled past).
      for (const i of this.cache.keys()) if (i < start - CACHE_LIMIT / 4 || i > end + CACHE_LIMIT / 4) this.cache.delete(i);
    }
    for (let i = from; i < to; i++) this.loading.add(i);
    this.reader.readRange(from, to - from).then(
      (rows) => {
        rows.forEach((e, k) => this.cache.set(from + k, e));
        this.took(rows);
        for (let i = from; i < to; i++) this.loading.delete(i);
        this.onChange("rows");
      },
      (err: unknown) => this.fail(err),
    );
  }

  get closed(): boolean {
    return this.aborter.signal.aborted;
  }

  close(): void {
    this.aborter.abort();
    void this.reader?.close().catch(() => {});
  }

  private async index(): Promise<void> {
    const reader = this.reader!;
    try {
      this.progress = 0;
      await reader.buildIndex((done, all) => {
        this.progress = all > 0 ? done / all : 1;
        this.onChange("rows");
      });
      await reader.refresh(); // lines followed while indexing, so "distance from the end" maps tail rows exactly
      if (this.aborter.signal.aborted) return;
      this.progress = null;
      // The rows already on screen stay readable under their new numbers (no blank frame while they reload).
      for (const e of this.tailRows) {
        const i = reader.indexOfOffset(e.offset);
        if (i >= 0) this.cache.set(i, e);
      }
      this.indexed = true;
      this.tailRows = [];
      this.total = this.limit(reader.count);
      this.onChange("rebased");
    } catch (err) {
      this.fail(err);
    }
  }

  private async follow(fromOffset: number): Promise<void> {
    try {
      // After load / new the path holds another session: the owner reopens it (this reader keeps the old file).
      const onReplaced = () => {
        this.aborter.abort();
        this.onChange("replaced");
      };
      const signal = this.aborter.signal;
      for await (const entry of followSession(this.source.file, { fromOffset, signal, onReplaced })) {
        if (this.indexed) {
          this.scheduleRefresh();
        } else {
          const last = this.tailRows.at(-1);
          if (last && entry.offset <= last.offset) continue; // already read by tail()
          this.tailRows.push(entry);
          this.took([entry]);
          this.total = this.tailRows.length;
          this.onChange("rows");
        }
      }
    } catch (err) {
      if (!this.aborter.signal.aborted) this.fail(err);
    }
  }

  /** Lines arrive one by one; the index catches up on all of them in one go, one refresh at a time. */
  private scheduleRefresh(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        const before = this.reader!.count;
        await this.reader!.refresh();
        const after = this.limit(this.reader!.count);
        // The newest lines are the ones a following screen shows next: read them now, so their frame is complete.
        const from = Math.max(before, after - NEWEST_PREFETCH);
        if (after > from) {
          const rows = await this.reader!.readRange(from, after - from);
          rows.forEach((e, k) => this.cache.set(from + k, e));
          this.took(rows);
        }
        this.total = after;
        this.onChange("rows");
      } while (this.refreshAgain && !this.aborter.signal.aborted);
    })()
      .catch((err: unknown) => this.fail(err))
      .finally(() => (this.refreshing = null));
  }

  /** Rows just read: a rewind event among them marks the rows held that it names; the others are marked as known. */
  private took(rows: Entry[]): void {
    for (const e of rows) {
      if (!this.rewinds.see(e.record)) continue;
      this.tailRows = this.tailRows.map((held) => (this.rewinds.mark(held.record) ? redrawn(held) : held));
      for (const [i, held] of this.cache) if (this.rewinds.mark(held.record)) this.cache.set(i, redrawn(held));
    }
  }

  private limit(count: number): number {
    return this.source.records === undefined ? count : Math.min(count, this.source.records);
  }

  private fail(err: unknown): void {
    if (this.aborter.signal.aborted) return;
    this.error = err instanceof Error ? err.message : String(err);
    this.onChange("rows");
  }
}

/** The same line as a new object: a row is formatted once per entry, so a row marked since is formatted again. */
function redrawn(e: Entry): Entry {
  return { index: e.index, offset: e.offset, length: e.length, record: e.record, damaged: e.damaged, raw: e.raw };
}
