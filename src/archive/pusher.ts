// `archive push`: every record of every session file of a logs folder (active, sealed, imported, compressed) and
// every checkpoint, shipped to an archive in batches. Exactly once: a batch is stored in one transaction together
// with how far its session is stored, and a push starts each session after what the archive holds — so a push
// stopped at any moment (killed, the server gone) and started again leaves no gap and no duplicate.
import { sessionFilesOf, type LockedSession, type SessionFile } from "../search/sessionFiles.ts";
import { listCheckpoints } from "../storage/checkpoints.ts";
import { streamEntries } from "../storage/sessionReader.ts";
import { openSessionSource } from "../storage/sessionSource.ts";
import { archiveRow, type ArchiveRow } from "./archiveRow.ts";
import type { ArchiveStore, SessionPosition } from "./archiveStore.ts";
import type { SourceInfo } from "./sourceIdentity.ts";

export interface PushLimits {
  /** A batch (one transaction, one COPY) holds at most this many records… */
  batchRecords: number;
  /** …and about this many bytes of lines. */
  batchBytes: number;
}

export const DEFAULT_LIMITS: PushLimits = { batchRecords: 20_000, batchBytes: 16 << 20 };

export interface PushTotals {
  /** Records stored by this push (not held by the archive before). */
  records: number;
  /** Damaged lines this push passed over: they are no record (no seq), so they stay in the logs folder only. */
  damaged: number;
  /** Sessions that had something new. */
  sessions: number;
  checkpoints: number;
  /** Encrypted sessions not pushed, as no key set here opens them (each with why); the others are pushed. */
  locked: LockedSession[];
}

export class Pusher {
  #positions: Map<string, SessionPosition> | null = null;
  #seen = new Map<string, number>();
  #sentCheckpoints = new Set<string>();

  constructor(
    private readonly logsDir: string,
    private readonly source: SourceInfo,
    private store: ArchiveStore,
    private readonly limits: PushLimits = DEFAULT_LIMITS,
  ) {}

  /** After a lost connection: a new store, and what it holds read again (another push may have gone on meanwhile). */
  reconnected(store: ArchiveStore): void {
    this.store = store;
    this.#positions = null;
    this.#seen.clear();
    this.#sentCheckpoints.clear();
  }

  /** One pass: what the archive lacks of the folder as it is now. `onBatch` hears of each batch stored. */
  async pushOnce(onBatch?: (stored: number) => void): Promise<PushTotals> {
    if (!this.#positions) {
      await this.store.registerSource(this.source);
      this.#positions = await this.store.positions(this.source.id);
    }
    const { files: listed, locked } = await sessionFilesOf(this.logsDir);
    const files = distinctSessions(listed);
    const sizes = new Map(files.map((f) => [f.session, f.size]));
    if (!sameSizes(sizes, this.#seen)) {
      await this.store.noteSeen(this.source.id, sizes);
      this.#seen = sizes;
    }
    const totals: PushTotals = { records: 0, damaged: 0, sessions: 0, checkpoints: 0, locked };
    for (const file of files) {
      const { records, damaged } = await this.#pushFile(file, onBatch);
      totals.records += records;
      totals.damaged += damaged;
      if (records > 0) totals.sessions++;
    }
    // Only checkpoints not handed over before (a checkpoint never changes): a following push looks several times a
    // second, and sending every checkpoint each time would cost a statement per pass for nothing.
    const checkpoints = (await listCheckpoints(this.logsDir)).filter((c) => !this.#sentCheckpoints.has(c.id));
    if (checkpoints.length > 0) {
      totals.checkpoints = await this.store.addCheckpoints(this.source.id, checkpoints.map(({ file: _file, ...info }) => info));
      for (const c of checkpoints) this.#sentCheckpoints.add(c.id);
    }
    return totals;
  }

  async #pushFile(file: SessionFile, onBatch?: (stored: number) => void): Promise<{ records: number; damaged: number }> {
    const held = this.#positions!.get(file.session) ?? { lastSeq: 0, bytes: 0 };
    if (held.bytes === file.size) return { records: 0, damaged: 0 };
    const start = (await startsLine(file.path, held.bytes, file.size)) ? held.bytes : 0;
    let batch: ArchiveRow[] = [];
    let batchBytes = 0;
    let position: SessionPosition = { ...held, bytes: start };
    let stored = 0;
    let damaged = 0;
    // The next batch is read and prepared while the archive stores the one before (one at a time, in order).
    let storing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const rows = batch;
      const to = { ...position };
      batch = [];
      batchBytes = 0;
      await storing;
      storing = this.store.append(this.source.id, file.session, rows, to).then((n) => {
        this.#positions!.set(file.session, to);
        stored += n;
        if (n > 0) onBatch?.(n);
      });
      storing.catch(() => {}); // awaited by the next flush or at the end; meanwhile not an unhandled rejection
    };
    for await (const entry of streamEntries(file.path, { startOffset: start, endOffset: file.size })) {
      const row = archiveRow(file.session, entry);
      position = { lastSeq: Math.max(position.lastSeq, row?.seq ?? 0), bytes: entry.offset + entry.length + 1 };
      if (!row) {
        damaged++;
        continue;
      }
      if (row.seq <= held.lastSeq) continue;
      batch.push(row);
      batchBytes += row.length;
      if (batch.length >= this.limits.batchRecords || batchBytes >= this.limits.batchBytes) await flush();
    }
    if (batch.length > 0 || position.bytes !== held.bytes) await flush();
    await storing;
    return { records: stored, damaged };
  }
}

/** The archive's position is a line's start when it is 0 or follows a newline; else (a file cut and regrown) not. */
async function startsLine(file: string, offset: number, size: number): Promise<boolean> {
  if (offset === 0) return true;
  if (offset > size) return false;
  const fh = await openSessionSource(file);
  try {
    const b = Buffer.alloc(1);
    const { bytesRead } = await fh.read(b, 0, 1, offset - 1);
    return bytesRead === 1 && b[0] === 0x0a;
  } finally {
    await fh.close();
  }
}

/** A session listed twice (caught between the active file and sessions/ as it is sealed): its larger file. */
function distinctSessions(files: SessionFile[]): SessionFile[] {
  const bySession = new Map<string, SessionFile>();
  for (const f of files) {
    const other = bySession.get(f.session);
    if (!other || f.size > other.size) bySession.set(f.session, f);
  }
  return [...bySession.values()];
}

function sameSizes(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}
