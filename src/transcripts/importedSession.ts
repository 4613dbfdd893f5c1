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
import { lineText, PAYLOAD_JSON } from "../storage/recordJson.ts";
import { PrefixDigest } from "../storage/prefixDigest.ts";
import { recoverSessionFile } from "../storage/recovery.ts";
import type { Snapshot } from "../storage/checkpoints.ts";
import { newSessionId, sealedFile } from "../storage/sessionFile.ts";
import type { TranscriptRecord } from "./records.ts";

/** Lines are serialized into a chunk of this size and written together. */
const CHUNK_BYTES = 4 << 20;
/**
 * While importing goes on, what is written is synced in the background about this often, so the disk flushes while
 * lines are parsed and the sync at the end (which makes the session durable) has little left to do.
 */
const SYNC_EVERY_BYTES = 16 << 20;
const NL = 0x0a;
const CLOSE = 0x7d;

/** Where the session stood: to go back to when its records are written again (importer.ts, rewinds). */
export interface SessionMark {
  size: number;
  lastSeq: number;
}

export class ImportedSession {
  #chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  #used = 0;
  #unsynced = 0;
  #syncing: Promise<void> = Promise.resolve();
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
    await session.#write({ v: 1, seq: 1, ts: timestamp(), kind: "event", event: "session_started", session: id, imported_from: details });
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

  add(rec: TranscriptRecord): Promise<void> | void {
    this.lastSeq++;
    // Built field by field (a transcript record has these): no copy of the record per line.
    const line = { v: 1, seq: this.lastSeq, ts: rec.ts ?? timestamp(), kind: rec.kind, topic: rec.topic, payload: rec.payload, frames: rec.frames, meta: rec.meta };
    return this.#write(line, rec[PAYLOAD_JSON]);
  }

  mark(): SessionMark {
    return { size: this.size + this.#used, lastSeq: this.lastSeq };
  }

  /** Drops what was added since the mark (nothing of it is durable yet: the session is made durable by close). */
  async backTo(mark: SessionMark): Promise<void> {
    await this.#flush();
    await this.#syncing;
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

  /** Writes what is pending and makes it durable. */
  async close(): Promise<{ bytes: number }> {
    try {
      await this.#flush();
      await this.#syncing;
      await this.fh.datasync();
    } finally {
      await this.fh.close();
    }
    return { bytes: this.size };
  }

  /** Serializes the line into the chunk (written first when the line does not fit). */
  #write(record: object, payloadJson?: Uint8Array): Promise<void> | void {
    const line = lineText(record, payloadJson);
    const bound = 3 * line.json.length + (line.payloadJson?.byteLength ?? 0) + 2;
    if (this.#used + bound > this.#chunk.length) {
      return this.#flush().then(() => {
        if (bound > this.#chunk.length) this.#chunk = Buffer.allocUnsafe(bound);
        this.#put(line);
      });
    }
    this.#put(line);
  }

  #put(line: { json: string; payloadJson?: Uint8Array }): void {
    this.#used += this.#chunk.write(line.json, this.#used);
    if (line.payloadJson) {
      this.#chunk.set(line.payloadJson, this.#used);
      this.#used += line.payloadJson.byteLength;
      this.#chunk[this.#used++] = CLOSE;
    }
    this.#chunk[this.#used++] = NL;
  }

  async #flush(): Promise<void> {
    const bytes = this.#chunk.subarray(0, this.#used);
    await writeAll(this.fh, [bytes], this.size); // at the session's end, wherever a truncation left the file position
    this.size += bytes.length;
    this.#digest?.update(bytes);
    this.#used = 0;
    this.#unsynced += bytes.length;
    if (this.#unsynced >= SYNC_EVERY_BYTES) {
      this.#unsynced = 0;
      await this.#syncing; // one sync at a time: writing waits only when the disk is slower than parsing
      this.#syncing = this.fh.datasync();
      this.#syncing.catch(() => {}); // its error is the close's (which syncs again)
    }
  }
}
