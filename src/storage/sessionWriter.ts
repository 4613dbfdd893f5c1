// Appends records to the active session with group commit: records queue up, a batch is written with one write and
// made durable with one fdatasync, and each record's promise resolves only after that sync. The caller holds the
// logs folder's lock (lock.ts). A write error (ENOSPC, EIO, EFBIG…) never escapes: the file is cut back to its last
// durable size, the batch waits in a bounded backlog and is retried with back-off; beyond the bound new records are
// dropped and counted, and a `gap` event saying so is written where they would have been.
import fs from "node:fs/promises";
import { timestamp, type NewRecord, type SessionRecord } from "../record.ts";
import { fsyncDir } from "./atomicFile.ts";
import { ensureLogsDir, PRIVATE_FILE_MODE, type LogsPaths } from "./logsDir.ts";
import { PrefixDigest } from "./prefixDigest.ts";
import { recoveredEvent, recoverSessionFile, type RecoveryResult } from "./recovery.ts";
import { newSessionId, readSessionId, sealCurrentSession } from "./sessionFile.ts";
import { SyncLatency } from "./syncLatency.ts";

export interface WriterOptions {
  /** How long the first record of an idle writer waits for company before its batch is written. */
  groupWindowMs?: number;
  maxBatchBytes?: number;
  /** Records waiting to be written (normally a batch or two; grows while writes fail) are bounded by this. */
  maxBacklogBytes?: number;
  onError?: (err: Error) => void;
}

export interface Snapshot {
  sessionId: string;
  bytes: number;
  records: number;
  messages: number;
  lastSeq: number;
  sha256: string;
}

export interface WriterStats {
  sessionId: string;
  records: number;
  messages: number;
  bytes: number;
  lastSeq: number;
  syncMs: { p50: number; p99: number };
  /** fdatasync calls since open: far fewer than records under load (group commit). */
  syncs: number;
  backlogBytes: number;
  dropped: number;
  writeErrors: number;
  lastError?: string;
}

/** A record that did not fit in the backlog. Its promise rejects with this; the writer itself carries on. */
export class RecordDroppedError extends Error {}

type Queued =
  | { body: string; record: object; size: number; resolve: (r: SessionRecord) => void; reject: (e: Error) => void }
  | { gap: Gap; size: number };
interface Gap {
  reason: string;
  dropped: number;
  from_ts: string;
  to_ts: string;
}

const GAP_SIZE = 200;
const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 5_000;
/** The background hash of an opened session checks between steps whether the writer was closed meanwhile. */
const CATCH_UP_STEP = 64 << 20;

export class SessionWriter {
  /** What crash recovery did when this writer opened the session (a `recovered` event was appended for it). */
  readonly recovery: RecoveryResult | null;
  private queue: Queued[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** While the session is being replaced, records appended meanwhile wait here for the new session. */
  private held: Queued[] | null = null;
  private heldBytes = 0;
  private closed = false;
  private retryDelay = RETRY_FIRST_MS;
  private lastError: string | undefined;
  private writeErrors = 0;
  private dropped = 0;
  /** The gap entry new drops are counted into, while it is the last thing queued. */
  private openGap: Gap | null = null;
  private readonly latency = new SyncLatency();
  /** Resolves once the digest has caught up with the durable bytes; from then on it follows each batch written. */
  private digestReady: Promise<void> = Promise.resolve();
  private digestLive = true;
  private retryTimer: NodeJS.Timeout | null = null;
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
    this.opts = { groupWindowMs: 2, maxBatchBytes: 1 << 20, maxBacklogBytes: 256 << 20, ...opts };
  }

  /** Opens the active session (after crash recovery), or starts one with `session_started` when there is none. */
  static async open(logsDir: string, opts: WriterOptions = {}): Promise<SessionWriter> {
    const paths = await ensureLogsDir(logsDir);
    const existing = await fs.stat(paths.current).then((s) => s.size > 0, () => false);
    const recovery = existing ? await recoverSessionFile(paths.current, paths.recoveryLog) : null;
    const writer =
      recovery && recovery.size > 0 ? await SessionWriter.resume(paths, recovery, opts) : await SessionWriter.start(paths, recovery, opts);
    if (recovery && (recovery.cut || recovery.damaged.length > 0)) await writer.append(recoveredEvent(recovery));
    return writer;
  }

  private static async resume(paths: LogsPaths, recovery: RecoveryResult, opts: WriterOptions): Promise<SessionWriter> {
    const fh = await fs.open(paths.current, "r+");
    await fh.sync(); // bytes a dead process wrote without syncing are counted durable from here on
    const id = (await readSessionId(paths.current)) ?? newSessionId((await fh.stat()).birthtime);
    const digest = new PrefixDigest();
    const writer = new SessionWriter(paths, fh, id, recovery.size, recovery.lastRecord?.seq ?? 0, digest, recovery, opts);
    writer.digestLive = false;
    writer.digestReady = writer.catchUpDigest();
    writer.digestReady.catch(() => {}); // reported by snapshot()
    if (!recovery.lastRecord) {
      await writer.digestReady; // no readable record near the end: number lines instead (a full read, rare)
      writer.lastSeq = digest.counts.lines;
    }
    return writer;
  }

  private static async start(paths: LogsPaths, recovery: RecoveryResult | null, opts: WriterOptions): Promise<SessionWriter> {
    const fh = await fs.open(paths.current, "w", PRIVATE_FILE_MODE);
    await fsyncDir(paths.root);
    const id = newSessionId();
    const writer = new SessionWriter(paths, fh, id, 0, 0, new PrefixDigest(), recovery, opts);
    await writer.append(sessionStarted(id, null));
    return writer;
  }

  get sessionId(): string {
    return this.id;
  }

  append(rec: NewRecord): Promise<SessionRecord> {
    return this.appendTo(rec, false);
  }

  /** Straight into the write queue, past `held`: the new session's own first records. */
  private appendNow(rec: NewRecord): Promise<SessionRecord> {
    return this.appendTo(rec, true);
  }

  private appendTo(rec: NewRecord, now: boolean): Promise<SessionRecord> {
    const p = new Promise<SessionRecord>((resolve, reject) => this.enqueue(rec, now, resolve, reject));
    p.catch(() => {}); // a dropped record must not crash a process that did not wait for it
    return p;
  }

  appendMany(recs: NewRecord[]): Promise<SessionRecord[]> {
    return Promise.all(recs.map((r) => this.append(r)));
  }

  stats(): WriterStats {
    const { lines, messages } = this.digest.counts;
    return {
      sessionId: this.id,
      records: lines,
      messages,
      bytes: this.durable,
      lastSeq: this.lastSeq,
      syncMs: this.latency.percentiles(),
      syncs: this.latency.count,
      backlogBytes: this.queuedBytes + this.heldBytes,
      dropped: this.dropped,
      writeErrors: this.writeErrors,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** The durable prefix and its hash, after every record appended before the call is durable. */
  async snapshot(): Promise<Snapshot> {
    await this.drain();
    await this.digestReady;
    const s = this.digest.state();
    return { sessionId: this.id, bytes: s.bytes, records: s.lines, messages: s.messages, lastSeq: this.lastSeq, sha256: s.sha256 };
  }

  /**
   * Seals the active session into sessions/ and starts a new one: `session_started` (with `loaded_from`), then
   * `first` (copied history), then the records appended since the call. Returns the new session id.
   */
  async replaceSession(first: Iterable<NewRecord> | AsyncIterable<NewRecord>, loadedFrom?: string): Promise<string> {
    if (this.held) throw new Error("the session is already being replaced");
    this.held = [];
    try {
      await this.drain(); // what was appended before the call ends the old session
      if (this.lastError) throw new Error(`cannot replace the session while writes fail: ${this.lastError}`);
      await this.digestReady;
      await this.fh.close();
      await sealCurrentSession(this.paths.root, this.id);
      this.fh = await fs.open(this.paths.current, "w", PRIVATE_FILE_MODE);
      await fsyncDir(this.paths.root);
      this.id = newSessionId();
      this.durable = 0;
      this.lastSeq = 0;
      this.digest = new PrefixDigest();
      let batch = [this.appendNow(sessionStarted(this.id, loadedFrom ?? null))];
      for await (const rec of first) {
        batch.push(this.appendNow(rec));
        if (this.queuedBytes >= this.opts.maxBatchBytes) {
          await this.flushOrThrow();
          await Promise.all(batch);
          batch = [];
        }
      }
      await this.flushOrThrow();
      await Promise.all(batch);
      return this.id;
    } finally {
      for (const q of this.held.splice(0)) this.queue.push(q);
      this.queuedBytes += this.heldBytes;
      this.heldBytes = 0;
      this.held = null;
      this.schedule();
    }
  }

  /** Writes what is queued and closes the file. Records that still cannot be written are rejected (and counted). */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.lastError) await this.flushNow(); // one last try
    if (!this.lastError) await this.drain();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const q of this.queue.splice(0)) {
      if ("body" in q) {
        this.dropped++;
        q.reject(new RecordDroppedError(`not written: ${this.lastError}`));
      }
    }
    this.queuedBytes = 0;
    await this.digestReady.catch(() => {});
    await this.fh.close();
  }

  private enqueue(rec: NewRecord, now: boolean, resolve: (r: SessionRecord) => void, reject: (e: Error) => void): void {
    if (this.closed) return reject(new Error("the session writer is closed"));
    const { ts, kind, ...rest } = rec;
    // v, seq, ts and kind lead every line (seq is filled in when the batch is written); PrefixDigest relies on it.
    const record = { ts: ts ?? timestamp(), kind, ...rest };
    const body = JSON.stringify(record);
    const size = body.length + 24;
    if (this.queuedBytes + this.heldBytes + size > this.opts.maxBacklogBytes) return this.drop(reject);
    this.openGap = null;
    this.push({ body, record, size, resolve, reject }, now);
  }

  private push(q: Queued, now = false): void {
    if (this.held && !now) {
      this.held.push(q);
      this.heldBytes += q.size;
      return;
    }
    this.queue.push(q);
    this.queuedBytes += q.size;
    this.schedule();
  }

  private drop(reject: (e: Error) => void): void {
    this.dropped++;
    const now = timestamp();
    if (this.openGap) {
      this.openGap.dropped++;
      this.openGap.to_ts = now;
    } else {
      this.openGap = { reason: `backlog full: ${this.lastError ?? "writes too slow"}`, dropped: 1, from_ts: now, to_ts: now };
      this.push({ gap: this.openGap, size: GAP_SIZE });
    }
    reject(new RecordDroppedError(`record dropped: the write backlog is full (${this.opts.maxBacklogBytes} bytes)`));
  }

  private schedule(): void {
    if (this.flushing || this.retryTimer || this.closed || this.queue.length === 0) return;
    if (this.queuedBytes >= this.opts.maxBatchBytes) void this.flushNow();
    else this.timer ??= setTimeout(() => void this.flushNow(), this.opts.groupWindowMs);
  }

  /** Writes batches until the queue is empty or a write fails. */
  private flushNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flushing ??= (async () => {
      try {
        while (this.queue.length > 0 && (await this.writeBatch()));
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /** While the session is being replaced, a failed write must not leave replaceSession waiting for the retries. */
  private async flushOrThrow(): Promise<void> {
    await this.flushNow();
    if (this.lastError) throw new Error(`writing the new session failed: ${this.lastError} (retrying in the background)`);
  }

  /** Waits until everything queued so far is durable (or writes are failing). */
  private async drain(): Promise<void> {
    while ((this.queue.length > 0 || this.flushing) && !this.lastError) await this.flushNow();
  }

  private async writeBatch(): Promise<boolean> {
    const batch = this.takeBatch();
    const ts = timestamp();
    let seq = this.lastSeq;
    const lines = batch.map((q) => {
      seq++;
      const body = "body" in q ? q.body : JSON.stringify({ ts, kind: "event", event: "gap", ...q.gap });
      return `{"v":1,"seq":${seq},${body.slice(1)}\n`;
    });
    const buf = Buffer.from(lines.join(""));
    try {
      await writeAll(this.fh, buf, this.durable);
      const t0 = performance.now();
      await this.fh.datasync();
      this.latency.add(performance.now() - t0);
    } catch (err) {
      await this.fh.truncate(this.durable).catch(() => {}); // never leave a partial batch behind a later one
      this.failed(batch, err as Error);
      return false;
    }
    this.durable += buf.length;
    if (this.digestLive) this.digest.update(buf);
    const firstSeq = this.lastSeq + 1;
    this.lastSeq = seq;
    this.lastError = undefined;
    this.retryDelay = RETRY_FIRST_MS;
    batch.forEach((q, i) => {
      if ("body" in q) q.resolve({ v: 1, seq: firstSeq + i, ...q.record } as SessionRecord);
    });
    return true;
  }

  private takeBatch(): Queued[] {
    let n = 0;
    let bytes = 0;
    while (n < this.queue.length && (n === 0 || bytes + this.queue[n].size <= this.opts.maxBatchBytes)) {
      bytes += this.queue[n].size;
      n++;
    }
    const batch = this.queue.splice(0, n);
    this.queuedBytes -= bytes;
    if (this.openGap && batch.some((q) => "gap" in q && q.gap === this.openGap)) this.openGap = null;
    return batch;
  }

  private failed(batch: Queued[], err: Error): void {
    this.queue.unshift(...batch);
    this.queuedBytes += batch.reduce((n, q) => n + q.size, 0);
    const last = this.queue[this.queue.length - 1];
    if ("gap" in last) this.openGap = last.gap; // nothing accepted after it yet: later drops still count into it
    this.writeErrors++;
    this.lastError = `${(err as NodeJS.ErrnoException).code ?? "error"}: ${err.message}`;
    try {
      this.opts.onError?.(err);
    } catch {
      // a failing error handler must not stop the retries
    }
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) void this.flushNow();
    }, delay);
  }

  /** Hashes the bytes already in the file in the background; from the moment it catches up it follows each batch. */
  private async catchUpDigest(): Promise<void> {
    const fh = await fs.open(this.paths.current, "r");
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

function sessionStarted(id: string, loadedFrom: string | null): NewRecord {
  return { kind: "event", event: "session_started", session: id, ...(loadedFrom ? { loaded_from: loadedFrom } : {}) };
}

async function writeAll(fh: fs.FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}

