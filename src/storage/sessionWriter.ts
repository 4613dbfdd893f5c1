// Appends records to the active session with group commit: each record is serialized at once into the open batch,
// a batch is written and made durable with one write (O_DSYNC; elsewhere write + fdatasync), and an append's
// promise resolves only after the sync of the batch holding its last record (batches become durable in order).
// `seq` is given as a record enters a batch, so a dropped record never leaves a hole. The caller holds the logs
// folder's lock (lock.ts). Every record is accepted while writes succeed, however large: a full backlog makes the
// caller wait (`whenRoom`), it never drops. A write error (ENOSPC, EIO, EFBIG…) never escapes: the file is cut back
// to its last durable size, the batches wait in the backlog and are retried with back-off; while writes fail, records
// beyond the backlog's bound (counted in the bytes they take in the file) are dropped and counted, and a `gap` event
// saying so and why is written where they would have been.
import fs from "node:fs/promises";
import { finishesWithin } from "../deadline.ts";
import { timestamp, type SessionRecord } from "../record.ts";
import { fsyncDir } from "./atomicFile.ts";
import { Batch, lineBound } from "./batch.ts";
import { ensureLogsDir, type LogsPaths } from "./logsDir.ts";
import { MillisecondClock } from "./millisecondClock.ts";
import { NextSession, sessionStarted, type OpenSessionFile } from "./nextSession.ts";
import { writeAll } from "./positionedWrite.ts";
import { chainBase, digestAfter, prefixOf, type CheckpointPrefix } from "./checkpoints.ts";
import { PrefixDigest } from "./prefixDigest.ts";
import { openPrivate } from "./privateFile.ts";
import { lineBytes, lineText, recordLine, type AppendRecord, type LineText, type NumberedRecord } from "./recordJson.ts";
import { recoveredEvent, recoverSessionFile, type RecoveryResult } from "./recovery.ts";
import { newSessionId, readSessionId } from "./sessionFile.ts";
import { SyncLatency } from "./syncLatency.ts";

export interface WriterOptions {
  /** How long the first record of an idle writer waits for company before its batch is written. */
  groupWindowMs?: number;
  maxBatchBytes?: number;
  /**
   * Bytes waiting to be written, as they take in the file (normally a batch or two). Beyond it appends wait
   * (`whenRoom`) while writes succeed, and are dropped (counted, a `gap` event) while they fail.
   */
  maxBacklogBytes?: number;
  onError?: (err: Error) => void;
  /** How session files are opened (default: openPrivate, refusing links and others' files). */
  open?: OpenSessionFile;
  /** Durable writes by O_DSYNC (true, Linux's default) or by write + fdatasync (false, elsewhere). */
  dsync?: boolean;
}

export interface WriterStats {
  sessionId: string;
  /** Durable records and messages (for a session opened from a file: so far, while `counting`). */
  records: number;
  messages: number;
  /** The records already in an opened session's file are still being hashed and counted. */
  counting: boolean;
  bytes: number;
  lastSeq: number;
  /** How long a durable write takes (the write and its sync together), over the last minute. */
  syncMs: { p50: number; p99: number };
  /** Durable writes (O_DSYNC write, or write + fdatasync) since open: far fewer than records under load (group commit). */
  syncs: number;
  backlogBytes: number;
  dropped: number;
  writeErrors: number;
  lastError?: string;
  /** Records a close cut short left unwritten (set by close). */
  unwritten?: Unwritten;
}

/** What a close cut short by its deadline (or by failing writes) could not write. */
export interface Unwritten {
  records: number;
  reason: string;
  from_ts: string;
  to_ts: string;
}

/** The seqs of the first and the last record of an appendMany. */
export interface SeqRange {
  firstSeq: number;
  lastSeq: number;
}

/** A record that did not fit in the backlog. Its promise rejects with this; the writer itself carries on. */
export class RecordDroppedError extends Error {}

interface Gap {
  reason: string;
  dropped: number;
  from_ts: string;
  to_ts: string;
}
/** A record appended while the session is being replaced: written once the new session has begun. */
interface Held {
  line: LineText;
  record: NumberedRecord;
}

/** How a replacement may act on the active session's last state before it is sealed (load: checkpoint it). */
export interface ReplaceOptions {
  loadedFrom?: string;
  beforeSeal?: (active: CheckpointPrefix) => Promise<void>;
}

const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 5_000;
/** The background hash of an opened session checks between steps whether the writer was closed meanwhile. */
const CATCH_UP_STEP = 64 << 20;
/** Spare batch buffers kept for reuse. */
const SPARE_BUFFERS = 8;
/** At most this many batches are written and synced together. */
const BATCHES_PER_SYNC = 16;
/**
 * On Linux the file is opened with O_DSYNC: a write returns once its bytes are durable, exactly as write + fdatasync,
 * but in one thread-pool task, so the sync no longer waits for the main thread to handle the write's completion
 * (under load it is busy serializing the next batch) and overlaps that work instead. Elsewhere an explicit fdatasync
 * follows the write (macOS's fdatasync is F_FULLFSYNC, stronger than its O_DSYNC).
 */
export const DSYNC = process.platform === "linux" ? fs.constants.O_DSYNC : 0;
const OPEN_EXISTING = fs.constants.O_RDWR;
const OPEN_NEW = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC;
const openSessionFile: OpenSessionFile = (file, flags) => openPrivate(file, flags);

export class SessionWriter {
  /** What crash recovery did when this writer opened the session (a `recovered` event was appended for it). */
  readonly recovery: RecoveryResult | null;
  /** Batches not yet durable, oldest first; appends go into the last one unless it is being written. */
  private batches: Batch[] = [];
  private spare: Buffer[] = [];
  private nextSeq: number;
  private timer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;
  private retryDelay = RETRY_FIRST_MS;
  private lastError: string | undefined;
  private writeErrors = 0;
  private dropped = 0;
  /** Drops not yet written as a `gap` event; it is written before the next record accepted. */
  private openGap: Gap | null = null;
  /** While the session is being replaced, records appended meanwhile wait here for the new session. */
  private held: Held[] | null = null;
  private heldBytes = 0;
  /** Settles like the batch that ends up holding the last held record. */
  private heldDurable: Deferred | null = null;
  private readonly latency = new SyncLatency();
  private readonly clock = new MillisecondClock();
  /** Resolves once the digest has caught up with the durable bytes; from then on it follows each batch written. */
  private digestReady: Promise<void> = Promise.resolve();
  private digestLive = true;
  /** The checkpoint the digest goes on from (a session opened from its file), or none: hashed from the start. */
  private chainBase: { id: string; bytes: number } | undefined;
  /** Appends waiting for the backlog to shrink under its bound. */
  private roomWaiters: (() => void)[] = [];
  private unwritten: Unwritten | undefined;
  private readonly opts: Required<Omit<WriterOptions, "onError">> & Pick<WriterOptions, "onError">;

  private constructor(
    private readonly paths: LogsPaths,
    private fh: fs.FileHandle,
    private id: string,
    private durable: number,
    private lastSeq: number,
    private digest: PrefixDigest,
    recovery: RecoveryResult | null,
    opts: WriterOptions,
  ) {
    this.recovery = recovery;
    this.nextSeq = lastSeq + 1;
    this.opts = {
      groupWindowMs: 2,
      maxBatchBytes: 1 << 20,
      maxBacklogBytes: 256 << 20,
      open: openSessionFile,
      dsync: DSYNC !== 0,
      ...opts,
    };
  }

  /** Opens the active session (after crash recovery), or starts one with `session_started` when there is none. */
  static async open(logsDir: string, opts: WriterOptions = {}): Promise<SessionWriter> {
    const paths = await ensureLogsDir(logsDir);
    const existing = await fs.lstat(paths.current).then((s) => s.size > 0 || !s.isFile(), () => false); // a link is refused below
    const recovery = existing ? await recoverSessionFile(paths.current, paths.recoveryLog) : null;
    const writer =
      recovery && recovery.size > 0 ? await SessionWriter.resume(paths, recovery, opts) : await SessionWriter.start(paths, recovery, opts);
    if (recovery && (recovery.cut || recovery.damaged.some((d) => !d.reported))) await writer.append(recoveredEvent(recovery));
    return writer;
  }

  private static async resume(paths: LogsPaths, recovery: RecoveryResult, opts: WriterOptions): Promise<SessionWriter> {
    const open = opts.open ?? openSessionFile;
    const fh = await open(paths.current, OPEN_EXISTING | syncFlag(opts));
    await fh.sync(); // bytes a dead process wrote without syncing are counted durable from here on
    const id = (await readSessionId(paths.current)) ?? newSessionId((await fh.stat()).birthtime);
    // Going on from the session's newest checkpoint, the background hash reads only the bytes since (the recorder's
    // restart and its first checkpoint cost the same on any session size); its checkpoints then extend that one.
    const base = await chainBase(paths.root, id, fh, recovery.size);
    const digest = digestAfter(base);
    const writer = new SessionWriter(paths, fh, id, recovery.size, recovery.maxSeq, digest, recovery, opts);
    writer.chainBase = base;
    writer.digestLive = false;
    writer.digestReady = writer.catchUpDigest();
    writer.digestReady.catch(() => {}); // reported by snapshot()
    if (!recovery.lastRecord) {
      await writer.digestReady; // no readable record near the end: number lines instead (a full read, rare)
      writer.lastSeq = Math.max(recovery.maxSeq, digest.counts.lines);
      writer.nextSeq = writer.lastSeq + 1;
    }
    return writer;
  }

  private static async start(paths: LogsPaths, recovery: RecoveryResult | null, opts: WriterOptions): Promise<SessionWriter> {
    const open = opts.open ?? openSessionFile;
    const fh = await open(paths.current, OPEN_NEW | syncFlag(opts));
    await fsyncDir(paths.root);
    const id = newSessionId();
    // A file whose every line recovery cut still held seqs: they are not given again.
    const writer = new SessionWriter(paths, fh, id, 0, recovery?.maxSeq ?? 0, new PrefixDigest(), recovery, opts);
    await writer.append(sessionStarted(id, null));
    return writer;
  }

  get sessionId(): string {
    return this.id;
  }

  append(rec: AppendRecord): Promise<SessionRecord> {
    return handled(this.appendTo([rec], false).then(({ first }) => first!));
  }

  /**
   * One promise for all: it resolves once the last of them is durable (the others are then durable too), with the
   * seqs of the first and the last (consecutive: a `gap` event comes only before a call's first record). The records
   * themselves are not kept until then, so that a busy recorder's records die young.
   */
  appendMany(recs: AppendRecord[]): Promise<SeqRange | null> {
    return handled(this.appendTo(recs, false).then(({ first, last }) => (first ? { firstSeq: first.seq, lastSeq: last!.seq } : null)));
  }

  /**
   * Resolves once the backlog is under its bound: a caller that receives records (the recorder) waits for it
   * before taking more, so a burst of huge messages is written, not dropped. At once while writes fail (records
   * beyond the bound are then dropped and counted: waiting could last for ever) and once closed.
   */
  whenRoom(): Promise<void> {
    if (!this.full()) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private full(): boolean {
    return !this.closed && !this.lastError && this.backlogBytes() >= this.opts.maxBacklogBytes;
  }

  private wakeRoomWaiters(): void {
    if (this.full() || this.roomWaiters.length === 0) return;
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  stats(): WriterStats {
    const { lines, messages } = this.digest.counts;
    return {
      sessionId: this.id,
      records: lines,
      messages,
      counting: !this.digestLive,
      bytes: this.durable,
      lastSeq: this.lastSeq,
      syncMs: this.latency.percentiles(),
      syncs: this.latency.count,
      backlogBytes: this.backlogBytes(),
      dropped: this.dropped,
      writeErrors: this.writeErrors,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.unwritten ? { unwritten: this.unwritten } : {}),
    };
  }

  /** The durable prefix and its hash (or chain link), after every record appended before the call is durable. */
  async snapshot(): Promise<CheckpointPrefix> {
    await this.drain();
    await this.digestReady;
    return { sessionId: this.id, lastSeq: this.lastSeq, ...prefixOf(this.digest, this.chainBase) };
  }

  /**
   * Seals the active session into sessions/ and starts a new one: `session_started` (with `loaded_from`), then
   * `first` (copied history), then the records appended since the call. Returns the new session id. The new session
   * is written whole before the active one is sealed (nextSession.ts): when anything fails — the history, the new
   * file, `beforeSeal`, the renames — the active session stays as it was, and writing goes on into it.
   */
  async replaceSession(first: Iterable<AppendRecord> | AsyncIterable<AppendRecord>, opts: ReplaceOptions = {}): Promise<string> {
    if (this.held) throw new Error("the session is already being replaced");
    this.held = [];
    this.heldDurable = deferred();
    try {
      await this.drain(); // what was appended before the call ends the old session
      if (this.lastError) throw new Error(`cannot replace the session while writes fail: ${this.lastError}`);
      await this.digestReady;
      const id = newSessionId();
      const history = withFirst(sessionStarted(id, opts.loadedFrom ?? null), first);
      const next = await NextSession.write(this.paths, this.opts.open, syncFlag(this.opts), id, history, () => this.clock.now());
      try {
        await opts.beforeSeal?.(await this.snapshot());
        await next.swapIn(this.paths, this.id);
      } catch (err) {
        await next.discard();
        throw err;
      }
      const sealedHandle = this.fh;
      this.fh = next.fh;
      this.id = id;
      this.durable = next.bytes;
      this.lastSeq = next.lastSeq;
      this.nextSeq = next.lastSeq + 1;
      this.digest = next.digest;
      this.chainBase = undefined;
      await sealedHandle.close().catch((err: Error) => this.report(err));
      return id;
    } finally {
      const held = this.held;
      const heldDurable = this.heldDurable!;
      this.held = this.heldDurable = null;
      this.heldBytes = 0;
      for (const h of held) this.enqueue(h.line, h.record);
      heldDurable.follow(this.lastBatch()?.durable);
    }
  }

  /**
   * Writes what is pending and closes the file. What cannot be written — writes still failing, or still not done by
   * `deadlineMs` — is rejected, counted as dropped and described in `stats().unwritten`, so that the caller can say
   * so (the recorder puts it in its status, and the next recorder writes the `gap` event).
   */
  async close({ deadlineMs = Infinity }: { deadlineMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    const deadline = performance.now() + deadlineMs;
    if (this.lastError) await this.flushNow(); // one last try
    this.writeGap();
    const drained = !this.lastError && (await finishesWithin(this.drain(), deadline - performance.now()));
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const reason = this.lastError ?? (drained ? "the writer closed" : `writes did not finish within the ${deadlineMs} ms the stop allows`);
    this.unwritten = this.pending(reason);
    this.dropped += this.unwritten?.records ?? 0;
    for (const b of this.batches.splice(0)) b.reject(new RecordDroppedError(`not written: ${reason}`));
    this.wakeRoomWaiters();
    await finishesWithin(this.digestReady, deadline - performance.now());
    if (drained) await this.fh.close(); // else a write may still be in flight: closing would wait for it
  }

  /** The records received but not durable yet, described (what a stop cut short or a crash loses). */
  pending(reason: string): Unwritten | undefined {
    const held = this.held ?? [];
    const records = this.batches.reduce((n, b) => n + b.lines, 0) + held.length;
    if (records === 0) return undefined;
    const times = [...this.batches.flatMap((b) => [b.firstTs, b.lastTs]), ...held.map((h) => h.record.ts)].filter(Boolean).sort();
    return { records, reason, from_ts: times[0] ?? "", to_ts: times.at(-1) ?? "" };
  }

  /** Serializes the records into batches (or, while the session is being replaced, into `held`, unless `now`). */
  private appendTo(recs: AppendRecord[], now: boolean): Promise<{ first?: NumberedRecord; last?: NumberedRecord }> {
    if (this.closed) return settled(new Error("the session writer is closed"));
    let first: NumberedRecord | undefined;
    let last: NumberedRecord | undefined;
    let dropped = false;
    for (const rec of recs) {
      const built = this.build(rec);
      if (!built) {
        dropped = true;
        continue;
      }
      const { record, line } = built;
      // Only while writes fail is a record turned away: a healthy writer takes everything and makes its caller wait.
      if (this.lastError && this.backlogBytes() + lineBytes(line) > this.opts.maxBacklogBytes) {
        this.drop(`writes failing (${this.lastError}) and the backlog of ${this.opts.maxBacklogBytes} bytes is full`, record.ts);
        dropped = true;
        continue;
      }
      if (this.held && !now) {
        this.held.push({ line, record });
        this.heldBytes += lineBytes(line);
      } else {
        this.writeGap();
        this.enqueue(line, record);
      }
      first ??= record;
      last = record;
    }
    if (dropped) return settled(new RecordDroppedError(`record dropped: ${this.openGap?.reason ?? "not recordable"}`));
    const durable = this.held && !now ? this.heldDurable!.promise : (this.lastBatch()?.durable ?? Promise.resolve());
    return handled(durable.then(() => ({ first, last })));
  }

  /** The record and its line; a record that cannot be encoded (beyond what a string can hold) becomes a gap. */
  private build(rec: AppendRecord): { record: NumberedRecord; line: LineText } | null {
    try {
      return recordLine(rec, () => this.clock.now());
    } catch (err) {
      const reason = `a ${rec.kind} could not be encoded as a line: ${(err as Error).message}`;
      this.report(new Error(reason));
      this.drop(reason, rec.ts ?? timestamp());
      return null;
    }
  }

  /** Serializes a line into the open batch (a new one when the last is full or being written). */
  private enqueue(line: LineText, record: { kind: string; seq: number; ts: string }): void {
    let batch = this.lastBatch();
    if (!batch || batch.writing || (batch.used > 0 && !batch.fits(line))) {
      batch = new Batch(this.bufferFor(lineBound(line)), this.nextSeq);
      this.batches.push(batch);
    }
    record.seq = batch.add(line, record.kind === "message", record.ts);
    this.nextSeq = record.seq + 1;
    this.schedule();
  }

  private lastBatch(): Batch | undefined {
    return this.batches[this.batches.length - 1];
  }

  private bufferFor(line: number): Buffer {
    const size = Math.max(this.opts.maxBatchBytes + (this.opts.maxBatchBytes >> 2), line);
    const spare = this.spare.pop();
    return spare && spare.length >= size ? spare : Buffer.allocUnsafeSlow(size);
  }

  private backlogBytes(): number {
    let n = this.heldBytes;
    for (const b of this.batches) n += b.used;
    return n;
  }

  /** Counts a record not written, into the gap event that will stand in its place (one per run of drops). */
  private drop(reason: string, ts: string): void {
    this.dropped++;
    if (this.openGap?.reason === reason) {
      this.openGap.dropped++;
      this.openGap.to_ts = ts;
      return;
    }
    this.writeGap();
    this.openGap = { reason, dropped: 1, from_ts: ts, to_ts: ts };
  }

  /** The `gap` event for the records dropped since the last accepted one, in their place. */
  private writeGap(): void {
    if (!this.openGap) return;
    const gap = this.openGap;
    this.openGap = null;
    const record = { v: 1, seq: 0, ts: timestamp(), kind: "event", event: "gap", ...gap };
    if (this.held) this.held.push({ line: lineText(record), record: record as NumberedRecord });
    else this.enqueue(lineText(record), record);
  }

  private schedule(): void {
    if (this.flushing || this.retryTimer || this.closed) return;
    const open = this.lastBatch();
    if (!open) return;
    if (this.batches.length > 1 || open.used >= this.opts.maxBatchBytes) void this.flushNow();
    else this.timer ??= setTimeout(() => void this.flushNow(), this.opts.groupWindowMs);
  }

  /** Writes batches until none is pending or a write fails. */
  private flushNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flushing ??= (async () => {
      try {
        while (this.batches.length > 0 && (await this.writeBatches(this.batches.slice(0, BATCHES_PER_SYNC))));
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /** Waits until everything appended so far is durable (or writes are failing). */
  private async drain(): Promise<void> {
    while ((this.batches.length > 0 || this.flushing) && !this.lastError) await this.flushNow();
  }

  /** The batches that piled up while the previous sync ran go out together: one durable write. */
  private async writeBatches(batches: Batch[]): Promise<boolean> {
    for (const b of batches) b.writing = true;
    const buffers = batches.map((b) => b.bytes());
    let staged: PrefixDigest | null = null;
    try {
      const t0 = performance.now();
      const written = writeAll(this.fh, buffers, this.durable);
      // Hashed while the bytes are written (off the path between one write and the next) into a copy: the digest
      // of the durable prefix takes it only once they are durable.
      if (this.digestLive) staged = hashBatches(this.digest.copy(), batches, buffers);
      await written;
      if (!this.opts.dsync) await this.fh.datasync();
      this.latency.add(performance.now() - t0);
    } catch (err) {
      if (this.closed) return false; // given up by a close that could not wait
      await this.fh.truncate(this.durable).catch(() => {}); // never leave a partial batch behind a later one
      this.failed(err as Error);
      return false;
    } finally {
      for (const b of batches) b.writing = false;
    }
    if (this.closed) return false;
    this.batches.splice(0, batches.length);
    this.lastError = undefined;
    this.retryDelay = RETRY_FIRST_MS;
    if (this.digestLive) this.digest = staged ?? hashBatches(this.digest, batches, buffers); // null: caught up meanwhile
    for (const [i, b] of batches.entries()) {
      this.durable += buffers[i].length;
      this.lastSeq = b.lastSeq;
      b.resolve();
      if (this.spare.length < SPARE_BUFFERS) this.spare.push(b.buf);
    }
    this.wakeRoomWaiters();
    return true;
  }

  private failed(err: Error): void {
    this.writeErrors++;
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    this.lastError = err.message.startsWith(code) ? err.message : `${code}: ${err.message}`;
    this.report(err);
    this.wakeRoomWaiters(); // while writes fail nobody waits: records beyond the bound are dropped and counted
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) void this.flushNow();
    }, delay);
  }

  private report(err: Error): void {
    try {
      this.opts.onError?.(err);
    } catch {
      // a failing error handler must not stop the writer
    }
  }

  /** Hashes the bytes already in the file in the background; from the moment it catches up it follows each batch. */
  private async catchUpDigest(): Promise<void> {
    const fh = await this.opts.open(this.paths.current, fs.constants.O_RDONLY);
    try {
      for (;;) {
        if (this.closed) throw new Error("the session writer was closed before its hash caught up");
        const done = this.digest.counts.bytes;
        if (done >= this.durable) break;
        await this.digest.readFrom(fh, Math.min(this.durable, done + CATCH_UP_STEP));
      }
      this.digestLive = true; // no await since the check: the next batch is hashed as it is written
    } finally {
      await fh.close();
    }
  }
}

/** A promise already rejected, marked handled: a caller that does not wait for it must not crash the process. */
function settled(err: Error): Promise<never> {
  return handled(Promise.reject(err));
}

/** Marks a promise's rejection handled (a caller that does not wait for it must not crash the process), returns it. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

function syncFlag(opts: WriterOptions): number {
  return (opts.dsync ?? DSYNC !== 0) ? fs.constants.O_DSYNC : 0;
}

/** The session's first record, then the rest. */
async function* withFirst<T>(head: T, rest: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T> {
  yield head;
  yield* rest;
}

/** A promise settled later, possibly like another one. */
interface Deferred {
  promise: Promise<void>;
  follow(other: Promise<void> | undefined): void;
}

function deferred(): Deferred {
  let follow!: Deferred["follow"];
  const promise = new Promise<void>((resolve) => (follow = (other) => resolve(other)));
  promise.catch(() => {});
  return { promise, follow };
}

function hashBatches(digest: PrefixDigest, batches: Batch[], buffers: Buffer[]): PrefixDigest {
  for (const [i, b] of batches.entries()) digest.append(buffers[i], b.lines, b.messages);
  return digest;
}
