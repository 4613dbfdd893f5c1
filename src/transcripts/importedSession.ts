// A sealed session of imported transcript records: sessions/<id>.jsonl, owner-only, never opened through a link,
// with the same first record as every session (`session_started`) and lines as the session writer makes them (the
// payload's bytes copied as they are). A transcript that grows later adds its new records at the end: earlier
// bytes never change, so checkpoints of the session stay valid.
import fs from "node:fs/promises";
import { timestamp } from "../record.ts";
import { fsyncDir } from "../storage/atomicFile.ts";
import { ensureLogsDir } from "../storage/logsDir.ts";
import { writeAll } from "../storage/positionedWrite.ts";
import { openPrivate } from "../storage/privateFile.ts";
import { PAYLOAD_JSON } from "../storage/recordJson.ts";
import { PrefixDigest } from "../storage/prefixDigest.ts";
import { recoverSessionFile } from "../storage/recovery.ts";
import type { Snapshot } from "../storage/checkpoints.ts";
import { newSessionId, sealedFile } from "../storage/sessionFile.ts";
import type { TranscriptRecord } from "./records.ts";

/**
 * Lines are built into a buffer of this size, written while the next one fills (so parsing never waits for a write),
 * and made durable by one sync when the import ends.
 */
const BUFFER_BYTES = 8 << 20;
const NL = 0x0a;
const CLOSE = 0x7d;

/** Where the session stood: to go back to when its records are written again (importer.ts, rewinds). */
export interface SessionMark {
  size: number;
  lastSeq: number;
}

export class ImportedSession {
  /** The buffer being filled; the other one, `#spare`, is free once `#writing` has settled. */
  #buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  #spare = Buffer.allocUnsafe(BUFFER_BYTES);
  #used = 0;
  /** Lines and message records in the buffer: the digest takes their counts without reading the bytes. */
  #lines = 0;
  #messages = 0;
  #writing: Promise<void> = Promise.resolve();
  /** The running hash and counts of the session's bytes, for its checkpoint (none when the session was cut back). */
  #digest: PrefixDigest | null;

  private constructor(
    readonly id: string,
    readonly file: string,
    /** The transcript file it holds. */
    readonly source: string,
    private readonly fh: fs.FileHandle,
    private lastSeq: number,
    private size: number,
    digest: PrefixDigest,
  ) {
    this.#digest = digest;
  }

  /** A new session whose first record names the transcript it holds. */
  static async create(logsDir: string, source: string, details: Record<string, unknown>): Promise<ImportedSession> {
    const paths = await ensureLogsDir(logsDir);
    const id = newSessionId();
    const file = sealedFile(logsDir, id);
    const fh = await openPrivate(file, "wx");
    await fsyncDir(paths.sessions);
    const session = new ImportedSession(id, file, source, fh, 0, 0, new PrefixDigest());
    session.lastSeq = 1;
    await session.#write(JSON.stringify({ v: 1, seq: 1, ts: timestamp(), kind: "event", event: "session_started", session: id, imported_from: details }), undefined, false);
    // Written at once: an import that dies before its first full buffer leaves a session that starts as every one.
    await session.#flush();
    await session.#writing;
    return session;
  }

  /**
   * An imported session opened to add what its transcript gained. A torn last line (a crash while importing) is cut
   * first, its bytes kept in recovery/crash_recovery.jsonl like any session's.
   */
  static async reopen(logsDir: string, id: string, source: string): Promise<{ session: ImportedSession; last: TranscriptRecord | null }> {
    const paths = await ensureLogsDir(logsDir);
    const file = sealedFile(logsDir, id);
    const recovery = await recoverSessionFile(file, paths.recoveryLog);
    const fh = await openPrivate(file, "a");
    const last = recovery.lastRecord;
    const digest = new PrefixDigest();
    await digest.readFrom(file, recovery.size);
    const session = new ImportedSession(id, file, source, fh, last?.seq ?? 0, recovery.size, digest);
    return { session, last: last && last.kind === "message" && last.meta.source ? (last as unknown as TranscriptRecord) : null };
  }

  /** Resolves at once unless a full buffer has to wait for the write before it (the disk is behind). */
  add(rec: TranscriptRecord): Promise<void> | void {
    this.lastSeq++;
    const payloadJson = rec[PAYLOAD_JSON];
    if (!payloadJson) {
      // A line that is not JSON, kept as a frame: rare, written as the session writer would.
      const line = { v: 1, seq: this.lastSeq, ts: rec.ts ?? timestamp(), kind: rec.kind, topic: rec.topic, frames: rec.frames, meta: rec.meta };
      return this.#write(JSON.stringify(line), undefined, true);
    }
    // What JSON.stringify gives for {v, seq, ts, kind, topic, meta} with the payload's bytes after: the envelope's
    // fields are known, so only meta is serialized.
    const head = `{"v":1,"seq":${this.lastSeq},"ts":${JSON.stringify(rec.ts ?? timestamp())},"kind":"message","topic":${JSON.stringify(rec.topic)},"meta":${JSON.stringify(rec.meta)},"payload":`;
    return this.#write(head, payloadJson, true);
  }

  mark(): SessionMark {
    return { size: this.size + this.#used, lastSeq: this.lastSeq };
  }

  /** Drops what was added since the mark (nothing of it is durable yet: the session is made durable by close). */
  async backTo(mark: SessionMark): Promise<void> {
    await this.#flush();
    await this.#writing;
    await this.fh.truncate(mark.size);
    Object.assign(this, { size: mark.size, lastSeq: mark.lastSeq });
    this.#digest = null; // hashed again from the file when a snapshot is asked for
  }

  /** The session as a checkpoint sees it: its size, lines, messages and hash (after close). */
  async snapshot(): Promise<Snapshot> {
    if (!this.#digest) {
      this.#digest = new PrefixDigest();
      await this.#digest.readFrom(this.file, this.size);
    }
    const s = this.#digest.state();
    return { sessionId: this.id, bytes: s.bytes, records: s.lines, messages: s.messages, lastSeq: this.lastSeq, sha256: s.sha256 };
  }

  /** Writes what is pending and makes it durable: the one sync of an import. */
  async close(): Promise<{ bytes: number }> {
    try {
      await this.#flush();
      await this.#writing;
      await this.fh.datasync();
    } finally {
      await this.fh.close();
    }
    return { bytes: this.size };
  }

  /** Puts the line (`json`, then the payload's bytes and a closing brace when there are some) into the buffer. */
  #write(json: string, payloadJson: Uint8Array | undefined, message: boolean): Promise<void> | void {
    const bound = 3 * json.length + (payloadJson?.byteLength ?? 0) + 2;
    if (this.#used + bound > this.#buffer.length) {
      return this.#flush().then(() => {
        if (bound > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(bound);
        this.#put(json, payloadJson, message);
      });
    }
    this.#put(json, payloadJson, message);
  }

  #put(json: string, payloadJson: Uint8Array | undefined, message: boolean): void {
    const buf = this.#buffer;
    let at = this.#used + buf.write(json, this.#used);
    if (payloadJson) {
      buf.set(payloadJson, at);
      at += payloadJson.byteLength;
      buf[at++] = CLOSE;
    }
    buf[at++] = NL;
    this.#used = at;
    this.#lines++;
    if (message) this.#messages++;
  }

  /** Starts writing the buffer (after the write before it) and goes on filling the other one. */
  async #flush(): Promise<void> {
    await this.#writing;
    if (this.#used === 0) return;
    const bytes = this.#buffer.subarray(0, this.#used);
    this.#digest?.append(bytes, this.#lines, this.#messages);
    const at = this.size;
    this.size += bytes.length;
    // At the session's end, wherever a truncation left the file position.
    this.#writing = writeAll(this.fh, [bytes], at);
    this.#writing.catch(() => {}); // its error is the next flush's or the close's
    [this.#buffer, this.#spare] = [this.#spare, this.#buffer];
    this.#used = 0;
    this.#lines = 0;
    this.#messages = 0;
  }
}
