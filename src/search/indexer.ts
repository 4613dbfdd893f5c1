// Brings the index up to date with the session files, incrementally: each file is indexed from where the last
// pass stopped; a file that was truncated or replaced is indexed again from the start. Runs in the index worker.
import fs from "node:fs/promises";
import { isMessage } from "../record.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { streamEntries } from "../storage/sessionReader.ts";
import { IndexWriter, type DocRow, type IndexedFile } from "./indexStore.ts";
import { docFields } from "./recordFields.ts";
import { listSessionFiles, type SessionFile } from "./sessionFiles.ts";

export interface IndexProgress {
  bytesDone: number;
  bytesTotal: number;
}

/** Documents per transaction: large enough to amortize the commit, small enough to show up within ~100 ms. */
const BATCH_DOCS = 4000;

export async function indexPass(
  writer: IndexWriter,
  logsDir: string,
  opts: { signal?: AbortSignal; onProgress?: (p: IndexProgress) => void } = {},
): Promise<IndexProgress> {
  const files = await listSessionFiles(logsDir);
  const known = new Map(writer.files().map((f) => [f.session, f]));
  const progress = { bytesDone: 0, bytesTotal: files.reduce((n, f) => n + f.size, 0) };
  for (const file of files) {
    if (opts.signal?.aborted) break;
    const entry = startingPoint(writer, file, known.get(file.session));
    progress.bytesDone += entry.indexedTo;
    await indexFile(writer, file, entry, (bytes) => {
      progress.bytesDone += bytes;
      opts.onProgress?.({ ...progress });
    }, opts.signal);
  }
  opts.onProgress?.({ ...progress });
  return progress;
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
  advanced: (bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (file.size <= entry.indexedTo) return;
  let rows: DocRow[] = [];
  let done = entry.indexedTo;
  let committed = done;
  const flush = () => {
    writer.addDocs(entry.id, rows, done, file.size);
    rows = [];
    advanced(done - committed);
    committed = done;
  };
  for await (const e of streamEntries(file.path, { startOffset: entry.indexedTo, endOffset: file.size })) {
    const rec = e.record;
    if (rec && isMessage(rec)) rows.push({ ...docFields(rec), offset: e.offset, length: e.length, seq: rec.seq });
    done = e.offset + e.length + 1;
    if (rows.length >= BATCH_DOCS) {
      flush();
      if (signal?.aborted) return;
    }
  }
  if (done > committed) flush();
}

/**
 * Indexes until stopped: a pass, then waits for the active session to grow (or be replaced) or a session to be
 * sealed, polling file sizes at `pollMs` so the index stays well under a second behind a live session.
 */
export async function followIndex(
  logsDir: string,
  opts: { signal: AbortSignal; pollMs?: number; onProgress?: (p: IndexProgress) => void },
): Promise<void> {
  const writer = IndexWriter.open(logsDir);
  const p = logsPaths(logsDir);
  try {
    let seen = "";
    while (!opts.signal.aborted) {
      const now = await fingerprint(p.current, p.sessions);
      if (now !== seen) {
        seen = now;
        await indexPass(writer, logsDir, opts);
      } else {
        await sleep(opts.pollMs ?? 100, opts.signal);
      }
    }
  } finally {
    writer.close();
  }
}

export async function indexOnce(logsDir: string, onProgress?: (p: IndexProgress) => void): Promise<IndexProgress> {
  const writer = IndexWriter.open(logsDir);
  try {
    return await indexPass(writer, logsDir, { onProgress });
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
