// Queries against the index, kept open between searches (the TUI searches on every key): the connection and the
// vocabulary are cached per logs folder, reopened when the index file is replaced, refreshed as it grows.
import fs from "node:fs";
import type Database from "better-sqlite3";
import { facetExpression, transcriptFacetExpression } from "./facets.ts";
import { ftsExpression, Vocabulary, type WordMatch } from "./fuzzy.ts";
import type { SourcePlace } from "./indexRewinds.ts";
import { IndexTerms } from "./indexTerms.ts";
import { indexPath, openIndexForReading, type IndexedFile } from "./indexStore.ts";
import type { Filters, Query } from "./queryParser.ts";

export interface IndexRow {
  rowid: number;
  file: number;
  offset: number;
  length: number;
  seq: number;
  ts: number;
  score: number;
}

/** Part of one indexed file a search may return: rows before `below` (a checkpoint's end). */
export interface FileLimit {
  id: number;
  below: number;
}

/** How much newer messages gain: the newest ranks up to this fraction better than an equally relevant oldest one. */
const RECENCY = 0.5;
/** Matches ranked per query: the newest this many (a query matching fewer is ranked exactly). */
const POOL = 2000;

/** BM25 (negative, lower is better) made up to RECENCY stronger for the newest message of the scope. */
function boosted(bm25: number, ts: number, tmin: number, tmax: number): number {
  return bm25 * (1 + (RECENCY * (ts - tmin)) / Math.max(1, tmax - tmin));
}



export class IndexReader {
  #vocabulary: Vocabulary | null = null;
  #vocabularyVersion = "";

  private constructor(
    readonly db: Database.Database,
    readonly ino: number,
  ) {}

  files(): IndexedFile[] {
    return this.db
      .prepare("SELECT id, session, path, ino, size, indexed_to AS indexedTo FROM files")
      .all() as IndexedFile[];
  }

  /** The indexed terms, read from the index as needed; what it keeps of them is dropped when the indexer changes them. */
  vocabulary(): Vocabulary {
    const version = this.db.prepare("SELECT value FROM meta WHERE key = 'terms_version'").pluck().get() as string;
    if (!this.#vocabulary || version !== this.#vocabularyVersion) {
      this.#vocabulary = new Vocabulary(new IndexTerms(this.db));
      this.#vocabularyVersion = version;
    }
    return this.#vocabulary;
  }

  /**
   * Best matches first: BM25 with a recency boost, among the newest POOL matches (all of them when fewer): a broad
   * query is answered from the recent part of the conversation without ranking every match, which keeps its cost
   * bounded on any session size. Messages with the words as typed come before those found only through a typo.
   */
  search(query: Query, words: WordMatch[], files: FileLimit[], limit: number): IndexRow[] {
    if (files.length === 0 || limit <= 0) return [];
    const scope = this.#coversAll(files) ? { sql: "1", params: [] } : scopeOf(files);
    if (words.length === 0 && query.phrases.length === 0) {
      const where = filtersOf(query.filters);
      return this.db
        .prepare(
          `SELECT d.rowid, d.file, d.offset, d.length, d.seq, d.ts, 0 AS score FROM docs d
           WHERE ${scope.sql} AND ${where.sql} ORDER BY d.ts DESC LIMIT ?`,
        )
        .all(...scope.params, ...where.params, limit) as IndexRow[];
    }
    // Field filters are part of the FTS5 query (facets.ts); only times are checked on the rows.
    const times = timesOf(query.filters);
    const facets = facetExpression(query.filters);
    const [tmin, tmax] = this.#timeRange(files);
    // With nothing to check on the rows, FTS5 alone picks the newest matches and docs is read for those only.
    const checkRows = scope.params.length > 0 || times.params.length > 0;
    const stmt = this.db.prepare(
      checkRows
        ? `SELECT d.rowid, d.file, d.offset, d.length, d.seq, d.ts, bm25(fts, 1.0, 0.0) AS score
           FROM fts JOIN docs d ON d.rowid = fts.rowid
           WHERE fts MATCH ? AND ${scope.sql} AND ${times.sql} ORDER BY fts.rowid DESC LIMIT ?`
        : `SELECT d.rowid, d.file, d.offset, d.length, d.seq, d.ts, m.score
           FROM (SELECT rowid, bm25(fts, 1.0, 0.0) AS score FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT ?) m
           JOIN docs d ON d.rowid = m.rowid`,
    );
    const ranked = (expr: string, n: number): IndexRow[] => {
      const match = facets ? `(${expr}) AND ${facets}` : expr;
      const pool = Math.max(POOL, n);
      const rows = (checkRows ? stmt.all(match, ...scope.params, ...times.params, pool) : stmt.all(match, pool)) as IndexRow[];
      for (const r of rows) r.score = boosted(r.score, r.ts, tmin, tmax);
      return rows.sort((a, b) => a.score - b.score).slice(0, n);
    };
    const exact = ranked(ftsExpression(words, query.phrases, false), limit);
    if (exact.length >= limit || words.every((w) => w.typos.length === 0)) return exact;
    const seen = new Set(exact.map((r) => r.rowid));
    const typos = ranked(ftsExpression(words, query.phrases, true), limit + exact.length).filter((r) => !seen.has(r.rowid));
    return [...exact, ...typos.slice(0, limit - exact.length)];
  }

  /**
   * Rows of the scope at these transcript places, newest first: the messages a rewind event not indexed yet names,
   * for `has:rewound` (the caller checks the rest of the query on each).
   */
  rowsAt(places: SourcePlace[], files: FileLimit[], limit: number): IndexRow[] {
    const below = new Map(files.map((f) => [f.id, f.below]));
    const at = this.db.prepare(
      `SELECT d.rowid, d.file, d.offset, d.length, d.seq, d.ts, 0 AS score FROM sources s
       JOIN source_refs r ON r.source = s.id JOIN docs d ON d.rowid = r.doc WHERE s.path = ? AND r.line = ?`,
    );
    const rows = places.flatMap((p) => at.all(p.file, p.line) as IndexRow[]).filter((r) => r.offset < (below.get(r.file) ?? -1));
    return rows.sort((a, b) => b.ts - a.ts).slice(0, limit);
  }

  /** Of these rows, those a rewind event the index holds marked (their lines do not say so). */
  rewoundOf(rows: IndexRow[]): Set<number> {
    if (rows.length === 0) return new Set();
    const ids = rows.map((r) => r.rowid);
    const marked = this.db.prepare(`SELECT doc FROM source_refs WHERE rewound = 1 AND doc IN (${ids.map(() => "?").join(",")})`).pluck();
    return new Set(marked.all(...ids) as number[]);
  }

  /** Whether the scope is the whole index (then no row needs checking against it). */
  #coversAll(files: FileLimit[]): boolean {
    const limits = new Map(files.map((f) => [f.id, f.below]));
    return this.files().every((f) => (limits.get(f.id) ?? -1) >= f.indexedTo);
  }

  /** Oldest and newest message of the scope, one file at a time so each is two lookups in docs_file_ts. */
  #timeRange(files: FileLimit[]): [number, number] {
    const lo = this.db.prepare("SELECT min(ts) FROM docs WHERE file = ?").pluck();
    const hi = this.db.prepare("SELECT max(ts) FROM docs WHERE file = ?").pluck();
    let tmin = Infinity;
    let tmax = -Infinity;
    for (const f of files) {
      tmin = Math.min(tmin, (lo.get(f.id) as number | null) ?? Infinity);
      tmax = Math.max(tmax, (hi.get(f.id) as number | null) ?? -Infinity);
    }
    return Number.isFinite(tmin) ? [tmin, tmax] : [0, 0];
  }

  static #cache = new Map<string, IndexReader>();

  /** The cached reader of this logs folder, or null when it has no usable index. */
  static for(logsDir: string): IndexReader | null {
    const ino = inoOf(indexPath(logsDir));
    const cached = IndexReader.#cache.get(logsDir);
    if (cached && cached.ino === ino) return cached;
    cached?.db.close();
    IndexReader.#cache.delete(logsDir);
    if (ino === null) return null;
    const db = openIndexForReading(logsDir);
    if (!db) return null;
    const reader = new IndexReader(db, ino);
    IndexReader.#cache.set(logsDir, reader);
    return reader;
  }

  /** Forget a reader whose index turned out damaged; the indexer rebuilds it. */
  static drop(logsDir: string): void {
    IndexReader.#cache.get(logsDir)?.db.close();
    IndexReader.#cache.delete(logsDir);
  }
}

function inoOf(file: string): number | null {
  try {
    return fs.statSync(file).ino;
  } catch {
    return null;
  }
}

function scopeOf(files: FileLimit[]): { sql: string; params: unknown[] } {
  return {
    sql: `(${files.map(() => "(d.file = ? AND d.offset < ?)").join(" OR ")})`,
    params: files.flatMap((x) => [x.id, x.below]),
  };
}

/** Every filter as SQL on docs (for filter-only queries, answered newest first from docs alone). */
function filtersOf(f: Filters): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const anyOf = (values: unknown[], clause: string, n = 1) => {
    if (values.length === 0) return;
    parts.push(`(${values.map(() => clause).join(" OR ")})`);
    for (const v of values) for (let i = 0; i < n; i++) params.push(v);
  };
  const like = (s: string) => s.replace(/[\\%_]/g, "\\$&");
  anyOf(f.from, "d.agent = ?");
  anyOf(f.to, "d.recipient = ?");
  anyOf(f.type, "(d.type = ? OR d.chain = ?)", 2);
  anyOf(f.tier, "d.tier = ?");
  anyOf(f.tag.map((t) => `% ${like(t)} %`), "d.tags LIKE ? ESCAPE '\\'");
  anyOf(f.topic.map((t) => `${like(t)}%`), "d.topic LIKE ? ESCAPE '\\'");
  const transcript = transcriptFacetExpression(f);
  if (transcript) anyOf([transcript], "d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)");
  const times = timesOf(f);
  return { sql: [...parts, times.sql].join(" AND "), params: [...params, ...times.params] };
}

function timesOf(f: Filters): { sql: string; params: unknown[] } {
  const parts = ["1"];
  const params: unknown[] = [];
  if (f.since !== undefined) {
    parts.push("d.ts >= ?");
    params.push(f.since);
  }
  if (f.until !== undefined) {
    parts.push("d.ts <= ?");
    params.push(f.until);
  }
  return { sql: parts.join(" AND "), params };
}
