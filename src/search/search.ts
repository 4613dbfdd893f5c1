// The one search of Shearwater, behind `shearwater search` and the TUI's search pane: the index answers for what
// it covers, a streaming scan covers the rest (everything, when there is no index yet), and results arrive as
// they are found so a caller can show them while the user types and cancel with an AbortSignal.
import { isMessage } from "../record.ts";
import { readCheckpoint } from "../storage/checkpoints.ts";
import { logsPaths } from "../storage/logsDir.ts";
import type { ByteSource } from "../storage/byteSource.ts";
import type { RewoundMarks } from "../transcripts/rewindEvent.ts";
import { openSessionSource } from "../storage/sessionSource.ts";
import { IndexReader, type FileLimit, type IndexRow } from "./indexReader.ts";
import type { IndexedFile } from "./indexStore.ts";
import { Matcher } from "./matcher.ts";
import { parseQuery, type Query } from "./queryParser.ts";
import { docFields } from "./recordFields.ts";
import { readRecordAt } from "./recordAt.ts";
import { scanRanges, type ScanRange } from "./scan.ts";
import { rewindsIn } from "./scanRewinds.ts";
import { describeSessionFile, listSessionFiles, type SessionFile } from "./sessionFiles.ts";
import { hitFields, type HitFields } from "./hitFields.ts";

export type SearchScope = "current" | "all" | { checkpoint: string };

export interface SearchHit extends HitFields {
  source: "index" | "scan";
}

export interface SearchProgress {
  /** Bytes of the scope the index answered for. */
  indexedBytes: number;
  /** Bytes of the scope not indexed yet, and how many of them the scan has read. */
  scanBytes: number;
  scannedBytes: number;
  done: boolean;
}

export interface SearchOptions {
  scope?: SearchScope;
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (p: SearchProgress) => void;
}

export const DEFAULT_LIMIT = 50;

/**
 * Parses the query at once (a bad one throws QueryError before anything runs), then yields hits: the index's,
 * best first, then the scan's as it finds them, `limit` in all.
 */
export function search(logsDir: string, query: string | Query, opts: SearchOptions = {}): AsyncGenerator<SearchHit> {
  const q = typeof query === "string" ? parseQuery(query) : query;
  return run(logsDir, q, opts);
}

export async function searchAll(logsDir: string, query: string | Query, opts: SearchOptions = {}): Promise<SearchHit[]> {
  const hits: SearchHit[] = [];
  for await (const h of search(logsDir, query, opts)) hits.push(h);
  return hits;
}

interface Target {
  file: SessionFile;
  /** Only lines before this offset belong to the scope (a checkpoint's prefix). */
  end: number;
}

interface Plan {
  /** Indexed files by id, and how much of each the index answers for. */
  files: Map<number, SessionFile>;
  limits: FileLimit[];
  /** What the scan covers. */
  ranges: ScanRange[];
  progress: SearchProgress;
}

function plan(targets: Target[], known: IndexedFile[]): Plan {
  const p: Plan = { files: new Map(), limits: [], ranges: [], progress: { indexedBytes: 0, scanBytes: 0, scannedBytes: 0, done: false } };
  for (const t of targets) {
    const entry = known.find((f) => f.session === t.file.session && f.ino === t.file.ino);
    const covered = Math.min(entry?.indexedTo ?? 0, t.end);
    if (entry && covered > 0) {
      p.files.set(entry.id, t.file);
      p.limits.push({ id: entry.id, below: covered });
    }
    p.ranges.push({ file: t.file.path, session: t.file.session, from: covered, to: t.end });
    p.progress.indexedBytes += covered;
    p.progress.scanBytes += t.end - covered;
  }
  return p;
}

async function* run(logsDir: string, q: Query, opts: SearchOptions): AsyncGenerator<SearchHit> {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const matcher = new Matcher(q);
  const targets = await targetsOf(logsDir, opts.scope ?? "current");
  let rows: IndexRow[] = [];
  let p = plan(targets, []);
  const index = IndexReader.for(logsDir);
  if (index) {
    try {
      p = plan(targets, index.files());
      if (p.limits.length > 0) {
        const vocabulary = index.vocabulary();
        rows = index.search(q, q.words.map((w) => vocabulary.match(w)), p.limits, limit);
      }
    } catch {
      // A damaged index: the indexer rebuilds it; meanwhile the scan covers everything.
      IndexReader.drop(logsDir);
      p = plan(targets, []);
      rows = [];
    }
  }
  const { progress } = p;
  opts.onProgress?.({ ...progress });
  // Rewind events the index does not hold yet: they mark what the index and the scan give.
  const rewinds = await rewindsIn(p.ranges, opts.signal);
  const named = new Set<number>();
  if (index && rewinds.places.length > 0 && q.filters.has.includes("rewound")) {
    const given = new Set(rows.map((r) => r.rowid));
    for (const r of index.rowsAt(rewinds.places, p.limits, limit)) {
      if (given.has(r.rowid)) continue;
      rows.push(r);
      named.add(r.rowid);
    }
  }

  const marked = index?.rewoundOf(rows) ?? new Set<number>();
  let found = 0;
  for await (const hit of hitsOfRows(rows, p.files, matcher, { marks: rewinds.marks, marked, named })) {
    if (opts.signal?.aborted) return;
    yield hit;
    if (++found >= limit) return;
  }
  if (found < limit && progress.scanBytes > 0) {
    const scan = scanRanges(p.ranges, matcher, {
      signal: opts.signal,
      onProgress: (scannedBytes) => opts.onProgress?.({ ...progress, scannedBytes }),
    }, rewinds);
    for await (const h of scan) {
      yield { ...hitFields(h, h.record, h.fields, null, matcher), source: "scan" };
      if (++found >= limit) break;
    }
  }
  if (!opts.signal?.aborted) opts.onProgress?.({ ...progress, scannedBytes: progress.scanBytes, done: true });
}

async function targetsOf(logsDir: string, scope: SearchScope): Promise<Target[]> {
  if (scope === "all") return (await listSessionFiles(logsDir)).map((file) => ({ file, end: file.size }));
  if (scope === "current") {
    const file = await describeSessionFile(logsPaths(logsDir).current);
    return file ? [{ file, end: file.size }] : [];
  }
  const cp = await readCheckpoint(logsDir, scope.checkpoint);
  const sessions = await listSessionFiles(logsDir);
  const file = sessions.find((s) => s.session === cp.session);
  if (!file) throw new Error(`the session of checkpoint ${cp.id} (${cp.session}) is not in ${logsDir}`);
  return [{ file, end: Math.min(cp.bytes, file.size) }];
}

/** Of the rows an index gave: those its rewind events marked, and those found only by their place (not checked yet). */
interface RowRewinds {
  /** The rewind events the index does not hold yet. */
  marks: RewoundMarks;
  marked: Set<number>;
  named: Set<number>;
}

/**
 * Index rows become hits by reading their lines (positioned reads): the index keeps no copy of the text. Rewinds mark
 * them; the rows found only by their place are checked against the whole query here.
 */
async function* hitsOfRows(rows: IndexRow[], files: Map<number, SessionFile>, matcher: Matcher, rewinds: RowRewinds): AsyncGenerator<SearchHit> {
  const handles = new Map<number, ByteSource>();
  try {
    for (const row of rows) {
      const file = files.get(row.file)!;
      let fh = handles.get(row.file);
      if (!fh) {
        fh = await openSessionSource(file.path);
        handles.set(row.file, fh);
      }
      const rec = await readRecordAt(fh, row.offset, row.length);
      if (!rec || !isMessage(rec)) continue; // the file changed under the index: the indexer will catch up
      if (rewinds.marked.has(row.rowid)) rec.meta.rewound = true;
      else rewinds.marks.mark(rec);
      const fields = docFields(rec);
      if (rewinds.named.has(row.rowid) && !matcher.matches(fields)) continue;
      yield { ...hitFields({ session: file.session, offset: row.offset, length: row.length }, rec, fields, row.score, matcher), source: "index" };
    }
  } finally {
    await Promise.all([...handles.values()].map((h) => h.close()));
  }
}

