// Brings the index up to date with the session files, incrementally: each file is indexed from where the last
// pass stopped; a file that was truncated or replaced is indexed again from the start. Runs in the index worker.
import fsSync, { type FSWatcher } from "node:fs";
import fs from "node:fs/promises";
import { isMessage } from "../record.ts";
import { Wakeup, watchEntry } from "../storage/changeWake.ts";
import { logsPaths, type LogsPaths } from "../storage/logsDir.ts";
import { streamEntries } from "../storage/sessionReader.ts";
import { placeOf, placesNamedBy, remarksFor, type SourcePlace } from "./indexRewinds.ts";
import { indexPath, IndexWriter, type DocRow, type IndexedFile } from "./indexStore.ts";
import { docFields } from "./recordFields.ts";
import { listSessionFiles, type SessionFile } from "./sessionFiles.ts";
import { tokenize } from "./terms.ts";

export interface IndexProgress {
  bytesDone: number;
  bytesTotal: number;
}

/**
 * Documents per transaction while catching up: large enough to amortize the commit (FTS5 writes a segment per
 * transaction). A live session's few new lines are committed at the end of each pass, so they never wait for this.
 */
const BATCH_DOCS = 20_000;
/**
 * A pass over more new bytes than this copies the vocabulary from FTS5 when it ends (seconds on a large index);
 * a smaller one (a live session's growth) tokenizes its few messages to add their new terms.
 */
const LARGE_PASS_BYTES = 8 << 20;

/** Keeps one index up to date; holds the vocabulary in memory to tell new terms from known ones. */
export class Indexer {
  #terms: Set<string>;

  constructor(readonly writer: IndexWriter) {
    this.#terms = new Set(writer.terms());
  }

  async pass(logsDir: string, opts: { signal?: AbortSignal; onProgress?: (p: IndexProgress) => void } = {}): Promise<IndexProgress> {
    const files = await listSessionFiles(logsDir);
    const known = new Map(this.writer.files().map((f) => [f.session, f]));
    const progress = { bytesDone: 0, bytesTotal: files.reduce((n, f) => n + f.size, 0) };
    const starts = files.map((file) => startingPoint(this.writer, file, known.get(file.session)));
    const large = files.reduce((n, f, i) => n + f.size - starts[i].indexedTo, 0) > LARGE_PASS_BYTES;
    for (const [i, file] of files.entries()) {
      if (opts.signal?.aborted) break;
      progress.bytesDone += starts[i].indexedTo;
      const onBatch = (bytes: number, rows: DocRow[]) => {
        if (!large) this.#addTermsOf(rows);
        progress.bytesDone += bytes;
        opts.onProgress?.({ ...progress });
      };
      await indexFile(this.writer, file, starts[i], onBatch, opts.signal);
    }
    if (large) this.#terms = new Set(this.writer.refreshTerms());
    opts.onProgress?.({ ...progress });
    return progress;
  }

  #addTermsOf(rows: DocRow[]): void {
    const fresh = new Set<string>();
    for (const r of rows) for (const t of tokenize(r.text)) if (!this.#terms.has(t)) fresh.add(t);
    for (const t of fresh) this.#terms.add(t);
    this.writer.addTerms([...fresh]);
  }
}

function startingPoint(writer: IndexWriter, file: SessionFile, known: IndexedFile | undefined): IndexedFile {
  if (!known || known.ino !== file.ino || file.size < known.indexedTo) {
    return writer.resetFile(file.session, file.path, file.ino);
  }
  if (known.path !== file.path) writer.movedFile(known.id, file.path);
  return known;
}

async function indexFile(
  writer: IndexWriter,
  file: SessionFile,
  entry: IndexedFile,
  onBatch: (bytes: number, rows: DocRow[]) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (file.size <= entry.indexedTo) return;
  let rows: DocRow[] = [];
  let rewinds: SourcePlace[] = [];
  let done = entry.indexedTo;
  let committed = done;
  const flush = async () => {
    // Rows of this batch an event names are marked as they are added; those indexed before, read again here.
    const remarks = rewinds.length > 0 ? await remarksFor(writer.rewinds, rewinds) : [];
    writer.addDocs(entry.id, { rows, rewinds, remarks }, done, file.size);
    onBatch(done - committed, rows);
    rows = [];
    rewinds = [];
    committed = done;
  };
  for await (const e of streamEntries(file.path, { startOffset: entry.indexedTo, endOffset: file.size })) {
    const rec = e.record;
    if (rec && isMessage(rec)) rows.push(Object.assign(docFields(rec), { offset: e.offset, length: e.length, seq: rec.seq, place: placeOf(rec) }));
    else rewinds.push(...placesNamedBy(rec));
    done = e.offset + e.length + 1;
    if (rows.length >= BATCH_DOCS) {
      await flush();
      if (signal?.aborted) return;
    }
  }
  if (done > committed) await flush();
}

/** With notifications, the files are looked at anyway this often: an index deleted at rest is rebuilt then. */
const RECHECK_MS = 1000;

/**
 * Indexes until stopped: a pass, then waits for the active session to grow (or be replaced) or a session to be
 * sealed. The system's file notifications wake it at once, so at rest it does nothing but a look every RECHECK_MS;
 * where there are none, it polls file sizes at `pollMs`, so the index stays well under a second behind a live session.
 */
export async function followIndex(
  logsDir: string,
  opts: { signal: AbortSignal; pollMs?: number; onProgress?: (p: IndexProgress) => void },
): Promise<void> {
  const p = logsPaths(logsDir);
  const pollMs = opts.pollMs ?? 100;
  const wake = new Wakeup();
  const ring = () => wake.ring();
  opts.signal.addEventListener("abort", ring, { once: true });
  const changes = watchSessionFiles(p, ring);
  let indexer = new Indexer(IndexWriter.open(logsDir));
  let indexIno = inoOf(indexPath(logsDir));
  try {
    let seen = "";
    while (!opts.signal.aborted) {
      // Someone deleted (or replaced) the index: start a new one.
      if (inoOf(indexPath(logsDir)) !== indexIno) {
        indexer.writer.close();
        indexer = new Indexer(IndexWriter.open(logsDir));
        indexIno = inoOf(indexPath(logsDir));
        seen = "";
      }
      const now = await fingerprint(p.current, p.sessions);
      if (now !== seen) {
        seen = now;
        await indexer.pass(logsDir, opts);
      } else {
        const looked = performance.now();
        await wake.wait(changes.notifying ? RECHECK_MS : pollMs);
        // As when polling, a look that found nothing is followed by the next one no sooner than pollMs later: a
        // session written to all the time is indexed a batch at a time, not in a pass per write.
        const early = looked + pollMs - performance.now();
        if (early > 0) await sleep(early, opts.signal);
      }
    }
  } finally {
    opts.signal.removeEventListener("abort", ring);
    changes.close();
    indexer.writer.close();
  }
}

/** Notifications of changes to the active session's file and to the sealed sessions' folder, while there are any. */
function watchSessionFiles(p: LogsPaths, onChange: () => void): { readonly notifying: boolean; close(): void } {
  const watchers: FSWatcher[] = [];
  let notifying = true;
  try {
    watchers.push(watchEntry(p.current, onChange), fsSync.watch(p.sessions, onChange));
  } catch {
    notifying = false; // no folder to watch, or no notifications here
  }
  for (const w of watchers) {
    w.on("error", () => {
      notifying = false; // polling from now on
      onChange();
    });
  }
  return { get notifying() { return notifying; }, close: () => watchers.forEach((w) => w.close()) };
}

function inoOf(file: string): number | null {
  try {
    return fsSync.statSync(file).ino;
  } catch {
    return null;
  }
}

export async function indexOnce(logsDir: string, onProgress?: (p: IndexProgress) => void): Promise<IndexProgress> {
  const writer = IndexWriter.open(logsDir);
  try {
    return await new Indexer(writer).pass(logsDir, { onProgress });
  } finally {
    writer.close();
  }
}

async function fingerprint(current: string, sessionsDir: string): Promise<string> {
  const [c, s] = await Promise.all([fs.stat(current).catch(() => null), fs.stat(sessionsDir).catch(() => null)]);
  return `${c?.ino}:${c?.size}:${s?.mtimeMs}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
