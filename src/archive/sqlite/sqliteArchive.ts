// A single-user archive in one SQLite file (`sqlite:PATH`): the same interface as the PostgreSQL archive, the
// local index's full-text search (FTS5, the same tokenizer, query expressions and vocabulary table). The file holds
// conversations: owner-only, never opened through a planted link.
import { closeSync } from "node:fs";
import Database from "better-sqlite3";
import { facetExpression, groupsExpression, hasGroups } from "../../search/facets.ts";
import { ftsExpression, Vocabulary, type WordMatch } from "../../search/fuzzy.ts";
import { IndexTerms } from "../../search/indexTerms.ts";
import { makePrivate } from "../../search/indexStore.ts";
import type { QueryWord } from "../../search/queryParser.ts";
import { openPrivateSync } from "../../storage/privateFile.ts";
import { ArchiveError, type ArchiveLocation } from "../archiveUrl.ts";
import { messageWords, type ArchiveRow } from "../archiveRow.ts";
import type {
  ArchivedCheckpoint,
  ArchivedLine,
  ArchivedSession,
  ArchiveMatch,
  ArchiveStore,
  LineSelection,
  MatchRequest,
  SessionPosition,
  SourceStatus,
} from "../archiveStore.ts";
import { lineOrder, pageClause } from "../linePage.ts";
import { boostedByRecency, MATCH_POOL, newTerms } from "../ranking.ts";
import type { SourceInfo } from "../sourceIdentity.ts";
import { splitRewound, TAPPED_REWOUND } from "../tappedRewinds.ts";
import { FactWriter } from "./sqliteRewinds.ts";
import { LATEST_SQLITE_VERSION, migrateSqlite, sqliteSchemaVersion } from "./sqliteSchema.ts";

export class SqliteArchive implements ArchiveStore {
  readonly #sentTerms = new Set<string>();
  #vocabulary: Vocabulary | null = null;

  private constructor(
    readonly location: ArchiveLocation & { kind: "sqlite" },
    private readonly db: Database.Database,
  ) {}

  /** `writable`: created when missing (push, migrate); else it must exist and is only read. */
  static open(location: ArchiveLocation & { kind: "sqlite" }, { writable }: { writable: boolean }): SqliteArchive {
    let db: Database.Database;
    try {
      if (writable) makePrivate(location.file);
      else closeSync(openPrivateSync(location.file, "r"));
      db = new Database(location.file, writable ? {} : { readonly: true, fileMustExist: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ArchiveError(code === "ENOENT" ? `no Shearwater archive at ${location.shown} yet: push to it first (\`shearwater archive push --to URL\`)` : `cannot open the archive ${location.file}: ${(err as Error).message}`);
    }
    db.pragma("busy_timeout = 10000");
    if (writable) {
      db.pragma("journal_mode = WAL");
      // Not derived data: a batch reported stored is on disk.
      db.pragma("synchronous = FULL");
    }
    return new SqliteArchive(location, db);
  }

  async migrate(): Promise<{ from: number; to: number }> {
    return migrateSqlite(this.db);
  }

  async schemaVersion(): Promise<number> {
    return sqliteSchemaVersion(this.db);
  }

  static readonly latestVersion = LATEST_SQLITE_VERSION;

  async registerSource(s: SourceInfo): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sources (id, host, folder, first_push_at, last_push_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET host = excluded.host, folder = excluded.folder, last_push_at = excluded.last_push_at`,
      )
      .run(s.id, s.host, s.folder, now(), now());
  }

  async positions(sourceId: string): Promise<Map<string, SessionPosition>> {
    const rows = this.db.prepare("SELECT session, last_seq, bytes FROM sessions WHERE source = ?").all(sourceId) as { session: string; last_seq: number; bytes: number }[];
    return new Map(rows.map((x) => [x.session, { lastSeq: x.last_seq, bytes: x.bytes }]));
  }

  async append(sourceId: string, session: string, rows: ArchiveRow[], to: SessionPosition): Promise<number> {
    const insertRecord = this.db.prepare(
      `INSERT INTO records (source, session, seq, line_offset, line_length, ts, ts_ms, kind, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertText = this.db.prepare("INSERT INTO fts (rowid, text, facets) VALUES (?, ?, ?)");
    const insertTerm = this.db.prepare("INSERT OR IGNORE INTO terms (term, len) VALUES (?, ?)");
    const facts = new FactWriter(this.db);
    let terms: string[] = [];
    const store = this.db.transaction((): number => {
      const held = this.db.prepare("SELECT last_seq FROM sessions WHERE source = ? AND session = ?").pluck().get(sourceId, session) as number | undefined;
      const heldSeq = held ?? 0;
      const fresh = rows.filter((r) => r.seq > heldSeq);
      const words = new Set<string>();
      for (const r of fresh) {
        const { lastInsertRowid } = insertRecord.run(sourceId, session, r.seq, r.offset, r.length, r.ts, Date.parse(r.ts), r.kind, r.line);
        facts.add(sourceId, lastInsertRowid, r);
        if (!r.message) continue;
        const w = messageWords(r.message);
        for (const x of w) words.add(x);
        insertText.run(lastInsertRowid, w.join(" "), r.message.facets.join(" "));
      }
      terms = newTerms(words, this.#sentTerms);
      for (const t of terms) insertTerm.run(t, t.length);
      const lastTs = fresh.reduce<string | null>((m, r) => (m === null || r.ts > m ? r.ts : m), null);
      this.db
        .prepare(
          `INSERT INTO sessions (source, session, last_seq, bytes, seen_bytes, records, last_ts) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (source, session) DO UPDATE SET
             bytes = CASE WHEN excluded.last_seq >= last_seq THEN excluded.bytes ELSE bytes END,
             last_seq = max(last_seq, excluded.last_seq),
             seen_bytes = max(seen_bytes, excluded.bytes),
             records = records + excluded.records,
             last_ts = CASE WHEN last_ts IS NULL OR excluded.last_ts > last_ts THEN excluded.last_ts ELSE last_ts END`,
        )
        .run(sourceId, session, Math.max(to.lastSeq, heldSeq), to.bytes, to.bytes, fresh.length, lastTs);
      return fresh.length;
    });
    const stored = store.immediate();
    for (const t of terms) this.#sentTerms.add(t);
    return stored;
  }

  async noteSeen(sourceId: string, fileBytes: Map<string, number>): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT INTO sessions (source, session, seen_bytes) VALUES (?, ?, ?) ON CONFLICT (source, session) DO UPDATE SET seen_bytes = excluded.seen_bytes`,
    );
    this.db.transaction(() => {
      for (const [session, bytes] of fileBytes) upsert.run(sourceId, session, bytes);
      this.db.prepare("UPDATE sources SET last_push_at = ? WHERE id = ?").run(now(), sourceId);
    }).immediate();
  }

  async addCheckpoints(sourceId: string, checkpoints: ArchivedCheckpoint[]): Promise<number> {
    const insert = this.db.prepare("INSERT OR IGNORE INTO checkpoints (source, id, session, created_at, info) VALUES (?, ?, ?, ?, ?)");
    return this.db.transaction(() => checkpoints.reduce((n, c) => n + insert.run(sourceId, c.id, c.session, c.created_at, JSON.stringify(c)).changes, 0)).immediate();
  }

  async sources(): Promise<SourceStatus[]> {
    const rows = this.db
      .prepare(
        `SELECT s.id, s.host, s.folder, s.last_push_at,
                count(ss.session) AS sessions, coalesce(sum(ss.records), 0) AS records, max(ss.last_ts) AS last_ts,
                coalesce(sum(max(ss.seen_bytes - ss.bytes, 0)), 0) AS behind,
                (SELECT count(*) FROM checkpoints c WHERE c.source = s.id) AS checkpoints
         FROM sources s LEFT JOIN sessions ss ON ss.source = s.id GROUP BY s.id ORDER BY s.host, s.folder`,
      )
      .all() as Record<string, string | number | null>[];
    return rows.map((x) => ({
      id: String(x.id),
      host: String(x.host),
      folder: String(x.folder),
      sessions: Number(x.sessions),
      records: Number(x.records),
      checkpoints: Number(x.checkpoints),
      lastRecordAt: x.last_ts === null ? null : String(x.last_ts),
      lastPushAt: x.last_push_at === null ? null : String(x.last_push_at),
      behindBytes: Number(x.behind),
    }));
  }

  async checkpoint(id: string, sources?: string[]): Promise<(ArchivedCheckpoint & { source: string })[]> {
    const rows = this.db.prepare(`SELECT source, info FROM checkpoints WHERE id = ? ${sourcesClause("source", sources)} ORDER BY source`).all(id, ...(sources ?? [])) as {
      source: string;
      info: string;
    }[];
    return rows.map((x) => ({ ...(JSON.parse(x.info) as ArchivedCheckpoint), source: x.source }));
  }

  async sessions(): Promise<ArchivedSession[]> {
    return this.db
      .prepare(
        `SELECT ss.source, s.host, s.folder, ss.session, ss.records, ss.last_seq AS lastSeq, ss.last_ts AS lastTs, ss.bytes
         FROM sessions ss JOIN sources s ON s.id = ss.source WHERE ss.records > 0
         ORDER BY s.host, s.folder, ss.last_ts IS NULL, ss.last_ts DESC, ss.session DESC`,
      )
      .all() as ArchivedSession[];
  }

  async lines(sel: LineSelection): Promise<ArchivedLine[]> {
    const { where, params } = selectionWhere(sel);
    const order = { id: ["r.id"], seq: ["r.source", "r.seq"], time: ["r.ts_ms", "r.id"] }[lineOrder(sel)];
    const tail = sel.tail !== undefined;
    const rows = this.db
      .prepare(
        `SELECT r.id, r.source, s.host, r.session, r.seq, r.line_offset AS offset, r.line FROM records r JOIN sources s ON s.id = r.source
         WHERE ${where.join(" AND ")} ORDER BY ${order.map((c) => (tail ? `${c} DESC` : c)).join(", ")}${pageClause(sel)}`,
      )
      .all(...params) as ArchivedLine[];
    return tail ? rows.reverse() : rows;
  }

  async tappedRewound(ids: number[]): Promise<Set<number>> {
    // The ids as one JSON parameter: a page may hold more lines than SQLite takes parameters.
    const found = this.db.prepare(`${TAPPED_REWOUND} WHERE p.record IN (SELECT value FROM json_each(?))`).pluck().all(JSON.stringify(ids));
    return new Set(found as number[]);
  }

  async count(sel: LineSelection): Promise<number> {
    const { where, params } = selectionWhere(sel);
    return this.db.prepare(`SELECT count(*) FROM records r WHERE ${where.join(" AND ")}`).pluck().get(...params) as number;
  }

  async wordMatch(word: QueryWord): Promise<WordMatch> {
    this.#vocabulary ??= new Vocabulary(new IndexTerms(this.db));
    return this.#vocabulary.match(word);
  }

  async matches(req: MatchRequest): Promise<ArchiveMatch[]> {
    const hasWords = req.words.length > 0 || req.query.phrases.length > 0;
    const words = hasWords ? ftsExpression(req.words, req.query.phrases, req.withTypos) : null;
    const { rest, has } = splitRewound(req.query.filters);
    const facets = facetExpression(rest);
    const match = [words, facets].filter((x): x is string => x !== null).map((x) => `(${x})`).join(" AND ");
    const { where, params, add } = conditions("r.kind = 'message'");
    if (match) add("r.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)", match);
    if (has) add(`r.id IN (SELECT rowid FROM fts WHERE fts MATCH ? UNION ALL ${TAPPED_REWOUND})`, groupsExpression(hasGroups(has)));
    const { since, until } = req.query.filters;
    if (since !== undefined) add("r.ts_ms >= ?", since);
    if (until !== undefined) add("r.ts_ms <= ?", until);
    if (req.sources) add(`1 ${sourcesClause("r.source", req.sources)}`, ...req.sources);
    const pool = hasWords ? Math.max(MATCH_POOL, req.limit) : req.limit;
    const newest = this.db
      .prepare(
        `SELECT r.id, r.source, r.session, r.seq, r.line_offset AS offset, r.line_length AS length, r.ts, r.line,
                r.id IN (${TAPPED_REWOUND}) AS rewound FROM records r
         WHERE ${where.join(" AND ")} ORDER BY r.ts_ms DESC, r.id DESC LIMIT ?`,
      )
      .all(...params, pool) as (Omit<ArchiveMatch, "rewound"> & { id: number; rewound: 0 | 1 })[];
    if (!words) return newest.map(({ id: _id, ...m }) => ({ ...m, rewound: m.rewound === 1, score: 0 }));
    const score = this.db.prepare("SELECT bm25(fts, 1.0, 0.0) FROM fts WHERE fts MATCH ? AND rowid = ?").pluck();
    const scored = newest.map(({ id, ...m }) => ({ ...m, rewound: m.rewound === 1, score: Number(score.get(words, id) ?? 0) }));
    return boostedByRecency(scored).slice(0, req.limit);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** A WHERE clause built up with its parameters, in order. */
function conditions(first: string) {
  const where = [first];
  const params: unknown[] = [];
  return { where, params, add: (clause: string, ...values: unknown[]) => void (where.push(clause), params.push(...values)) };
}

/** The conditions of a line selection and their parameters. */
function selectionWhere(sel: LineSelection) {
  const { where, params, add } = conditions("1");
  if (sel.session !== undefined) add("r.session = ?", sel.session);
  if (sel.upToSeq !== undefined) add("r.seq <= ?", sel.upToSeq);
  if (sel.afterId !== undefined) add("r.id > ?", sel.afterId);
  if (sel.upToId !== undefined) add("r.id <= ?", sel.upToId);
  if (sel.sources) add(`1 ${sourcesClause("r.source", sel.sources)}`, ...sel.sources);
  return { where, params };
}

function sourcesClause(column: string, sources: string[] | undefined): string {
  if (!sources) return "";
  return sources.length === 0 ? "AND 0" : `AND ${column} IN (${sources.map(() => "?").join(", ")})`;
}

function now(): string {
  return new Date().toISOString();
}
