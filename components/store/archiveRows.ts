// The message viewer's rows read from a team archive, a page at a time: one session of one source (by seq), or
// every source's lines in the order stored. The rows are counted when opened and again every POLL_MS
// (archiveExtent.ts), so rows already numbered keep their number while pushes add lines after them; rows are asked
// for counted from the end (the newest are what the viewer shows first), never loaded whole. A message a tap's rewind
// event named is marked rewound with its page (dimmed, "(rewound)"), as the local viewer marks it.
import { entriesOf } from "../../src/archive/archiveReading.ts";
import type { ArchiveStore } from "../../src/archive/archiveStore.ts";
import { markTappedRewinds, type ArchivedEntry } from "../../src/archive/rewoundEntries.ts";
import { isRewoundEvent } from "../../src/transcripts/rewindEvent.ts";
import { everySourceExtent, sessionExtent, type ArchiveExtent, type Extent } from "./archiveExtent.ts";
import type { SessionSource } from "./sessionView.ts";

/** One session of one source, or (none given) every source. */
export interface ArchiveScope {
  source?: string;
  session?: string;
}

/** How often the archive is asked whether lines were pushed since. */
export const POLL_MS = 1000;
/** Rows kept in memory around the screen; beyond, the farthest are dropped. */
const CACHE_LIMIT = 4000;
/** At most this many rows are asked for in one page. */
const PAGE_ROWS = 500;

export class ArchiveRows {
  readonly indexed = true;
  readonly progress = null;
  total = 0;
  error: string | null = null;
  /** Rows are numbered among the lines up to this bound. */
  #extent: Extent = { total: 0, upTo: 0 };
  readonly #counting: ArchiveExtent;
  #cache = new Map<number, ArchivedEntry>();
  #loading = new Set<number>();
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  #polling = false;

  constructor(
    private readonly archive: ArchiveStore,
    readonly scope: ArchiveScope,
    readonly source: SessionSource,
    private readonly onChange: (why: "rows") => void,
  ) {
    this.#counting = scope.source !== undefined && scope.session !== undefined ? sessionExtent(archive, scope.source, scope.session) : everySourceExtent(archive);
  }

  async open(): Promise<void> {
    await this.#catchUp();
    this.want(Math.max(0, this.total - 100), this.total);
    this.#timer = setInterval(() => void this.#poll(), POLL_MS);
    this.#timer.unref();
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
  }

  row(i: number): ArchivedEntry | undefined {
    return this.#cache.get(i);
  }

  /** The row of record `seq` in a session's view (-1 when it is not there). */
  async indexOfSeq(seq: number): Promise<number> {
    if (this.scope.session === undefined || seq > this.#extent.upTo) return -1;
    const sel = this.#counting.lines(seq);
    const [found] = await this.archive.lines({ ...sel, tail: 1 });
    if (found?.seq !== seq) return -1;
    return (await this.archive.count(sel)) - 1;
  }

  want(start: number, end: number): void {
    end = Math.min(end, this.total);
    let from = Math.max(0, start);
    while (from < end && (this.#cache.has(from) || this.#loading.has(from))) from++;
    let to = end;
    while (to > from && (this.#cache.has(to - 1) || this.#loading.has(to - 1))) to--;
    if (from >= to) return;
    to = Math.min(to, from + PAGE_ROWS);
    if (this.#cache.size > CACHE_LIMIT) {
      for (const i of this.#cache.keys()) if (i < start - CACHE_LIMIT / 4 || i > end + CACHE_LIMIT / 4) this.#cache.delete(i);
    }
    for (let i = from; i < to; i++) this.#loading.add(i);
    const { total, upTo } = this.#extent;
    const page = { ...this.#counting.lines(upTo), tail: to - from, skip: total - to };
    this.archive.lines(page).then((lines) => entriesOf(this.archive, lines)).then(
      async (entries) => {
        for (let i = from; i < to; i++) this.#loading.delete(i);
        if (this.#closed) return;
        entries.forEach((e, k) => this.#cache.set(from + k, { ...e, index: from + k }));
        if (entries.some((e) => e.record && isRewoundEvent(e.record))) await this.#markHeld(from, to).catch((err: unknown) => this.#fail(err));
        this.onChange("rows");
      },
      (err: unknown) => {
        for (let i = from; i < to; i++) this.#loading.delete(i);
        this.#fail(err);
      },
    );
  }

  /**
   * A rewind event just read (pushed after the messages it names, as a tap appends it): the rows held from before
   * are marked too, as a local reader marks the rows it holds; each marked row is a new entry, so it is drawn again.
   */
  async #markHeld(from: number, to: number): Promise<void> {
    const held = [...this.#cache].filter(([i]) => i < from || i >= to).map(([, e]) => e);
    for (const e of await markTappedRewinds(this.archive, held)) if (this.#cache.get(e.index) === e) this.#cache.set(e.index, { ...e });
  }

  /** Counts the lines pushed since the last count (all of them the first time). */
  async #catchUp(): Promise<void> {
    this.#extent = await this.#counting.next(this.#extent);
    this.total = this.#extent.total;
    this.error = null;
  }

  async #poll(): Promise<void> {
    if (this.#polling || this.#closed) return;
    this.#polling = true;
    try {
      const before = this.total;
      const failed = this.error !== null;
      await this.#catchUp();
      if (failed && this.total === before) this.onChange("rows");
      if (this.total !== before) {
        // The newest rows are what a following viewer shows next: read them now, so their frame is complete.
        this.want(Math.max(before, this.total - 100), this.total);
        this.onChange("rows");
      }
    } catch (err) {
      this.#fail(err);
    } finally {
      this.#polling = false;
    }
  }

  #fail(err: unknown): void {
    if (this.#closed) return;
    this.error = err instanceof Error ? err.message : String(err);
    this.onChange("rows");
  }
}
