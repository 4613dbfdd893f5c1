// A sealed session of imported transcript records: sessions/<id>.jsonl, owner-only, never opened through a link,
// with the same first record as every session (`session_started`) and lines as the session writer makes them (the
// payload's bytes copied as they are). A transcript that grows later adds its new records at the end: earlier
// bytes never change, so checkpoints of the session stay valid.
import fs from "node:fs/promises";
import { timestamp } from "../record.ts";
import { fsyncDir } from "../storage/atomicFile.ts";
import { ensureLogsDir } from "../storage/logsDir.ts";
import { openPrivate } from "../storage/privateFile.ts";
import { lineText, PAYLOAD_JSON } from "../storage/recordJson.ts";
import { recoverSessionFile } from "../storage/recovery.ts";
import { newSessionId, sealedFile } from "../storage/sessionFile.ts";
import type { TranscriptRecord } from "./records.ts";

/** Lines are written in chunks of about this size; the session is made durable once, at the end. */
const CHUNK_BYTES = 1 << 20;
const CLOSE_LINE = Buffer.from("}\n");

export class ImportedSession {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #added = 0;

  private constructor(
    readonly id: string,
    readonly file: string,
    private readonly fh: fs.FileHandle,
    private lastSeq: number,
    private size: number,
  ) {}

  /** A new session whose first record names the transcript it holds. */
  static async create(logsDir: string, source: Record<string, unknown>): Promise<ImportedSession> {
    const paths = await ensureLogsDir(logsDir);
    const id = newSessionId();
    const file = sealedFile(logsDir, id);
    const fh = await openPrivate(file, "wx");
    await fsyncDir(paths.sessions);
    const session = new ImportedSession(id, file, fh, 0, 0);
    session.#write({ v: 1, seq: 1, ts: timestamp(), kind: "event", event: "session_started", session: id, imported_from: source });
    session.lastSeq = 1;
    return session;
  }

  /**
   * An imported session opened to add what its transcript gained. A torn last line (a crash while importing) is cut
   * first, its bytes kept in recovery/crash_recovery.jsonl like any session's.
   */
  static async reopen(logsDir: string, id: string): Promise<{ session: ImportedSession; last: TranscriptRecord | null }> {
    const paths = await ensureLogsDir(logsDir);
    const file = sealedFile(logsDir, id);
    const recovery = await recoverSessionFile(file, paths.recoveryLog);
    const fh = await openPrivate(file, "a");
    const last = recovery.lastRecord;
    const session = new ImportedSession(id, file, fh, last?.seq ?? 0, recovery.size);
    return { session, last: last && last.kind === "message" && last.meta.source ? (last as unknown as TranscriptRecord) : null };
  }

  /** Records added since open. */
  get added(): number {
    return this.#added;
  }

  get lastSequence(): number {
    return this.lastSeq;
  }

  async add(rec: TranscriptRecord): Promise<void> {
    const { [PAYLOAD_JSON]: payloadJson, ...fields } = rec;
    this.lastSeq++;
    this.#write({ v: 1, seq: this.lastSeq, ts: rec.ts ?? timestamp(), ...fields }, payloadJson);
    this.#added++;
    if (this.#pendingBytes >= CHUNK_BYTES) await this.#flush();
  }

  /** Writes what is pending and makes it durable. */
  async close(): Promise<{ bytes: number }> {
    try {
      await this.#flush();
      await this.fh.datasync();
    } finally {
      await this.fh.close();
    }
    return { bytes: this.size };
  }

  #write(record: object, payloadJson?: Uint8Array): void {
    const line = lineText(record, payloadJson);
    const bytes = line.payloadJson ? Buffer.concat([Buffer.from(line.json), line.payloadJson, CLOSE_LINE]) : Buffer.from(`${line.json}\n`);
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const chunk = Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    for (let done = 0; done < chunk.length; ) done += (await this.fh.write(chunk, done)).bytesWritten;
    this.size += chunk.length;
  }
}
