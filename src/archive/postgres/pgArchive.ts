// The team archive on a PostgreSQL server (13 or newer). Records are bulk-loaded with COPY in one transaction per
// batch, under a lock per session, so a batch is stored whole or not at all and each record once; full-text search
// is a tsvector column with a GIN index, typo tolerance pg_trgm over the vocabulary of words.
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { hasGroups } from "../../search/facets.ts";
import { maxTypos, Vocabulary, type WordMatch } from "../../search/fuzzy.ts";
import type { QueryWord } from "../../search/queryParser.ts";
import type { ArchiveLocation } from "../archiveUrl.ts";
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
import { boostedByRecency, newTerms, MATCH_POOL } from "../ranking.ts";
import type { SourceInfo } from "../sourceIdentity.ts";
import { splitRewound, TAPPED_REWOUND } from "../tappedRewinds.ts";
import { CandidateTerms } from "./candidateTerms.ts";
import { connect, describe } from "./pgConnect.ts";
import { COPY_COLUMNS, copyLine } from "./copyText.ts";
import { LATEST_VERSION, migrate, schemaVersion } from "./pgSchema.ts";
import { FactBatch } from "./pgRewinds.ts";
import { SCHEMA } from "./schemaName.ts";
import { filtersQuery, groupsQuery, wordsQuery } from "./tsQuery.ts";

/** Words of the vocabulary fetched per query word: those of its beginning (while typing) and its near spellings. */
const CANDIDATES = 400;

export class PgArchive implements ArchiveStore {
  /** Words this process stored in the vocabulary already (bounded): each batch sends only the others. */
  readonly #sentTerms = new Set<string>();

  private constructor(
    readonly location: ArchiveLocation & { kind: "postgres" },
    private readonly client: pg.Client,
  ) {}

  static async open(location: ArchiveLocation & { kind: "postgres" }): Promise<PgArchive> {
    const client = await connect(location.url);
    const store = new PgArchive(location, client);
    await store.#run(`SET search_path TO ${SCHEMA}, public`);
    // Near spellings of short words share few trigrams: the threshold is low, the edit distance decides after.
    await store.#run("SET pg_trgm.similarity_threshold = 0.1").catch(() => {});
    await store.#run("SET pg_trgm.word_similarity_threshold = 0.3").catch(() => {});
    // A search's plan is cheap and its run short: compiling it (JIT) took some 20 ms of each. The memory keeps a
    // common word's matches in memory: with 4 MB its bitmap went lossy (every row of its pages checked again) and
    // the sort of its newest 2,000 rows, line and tsvector included, spilled to disk (96 MB for a word in 13%).
    await store.#run("SET jit = off");
    await store.#run("SET work_mem = '64MB'");
    return store;
  }

  async #run<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.client.query<R>(sql, params);
    } catch (err) {
      throw describe(err, this.location.url);
    }
  }

  async migrate(): Promise<{ from: number; to: number }> {
    try {
      const done = await migrate(this.client);
      // pg_trgm may have just been created, after the settings above were refused.
      await this.#run("SET pg_trgm.similarity_threshold = 0.1");
      await this.#run("SET pg_trgm.word_similarity_threshold = 0.3");
      return done;
    } catch (err) {
      throw describe(err, this.location.url);
    }
  }

  async schemaVersion(): Promise<number> {
    try {
      return await schemaVersion(this.client);
    } catch (err) {
      throw describe(err, this.location.url);
    }
  }

  static readonly latestVersion = LATEST_VERSION;

  async registerSource(s: SourceInfo): Promise<void> {
    await this.#run(
      `INSERT INTO sources (id, host, folder) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, folder = EXCLUDED.folder, last_push_at = now()`,
      [s.id, s.host, s.folder],
    );
  }

  async positions(sourceId: string): Promise<Map<string, SessionPosition>> {
    const r = await this.#run<{ session: string; last_seq: string; bytes: string }>(
      "SELECT session, last_seq, bytes FROM sessions WHERE source = $1",
      [sourceId],
    );
    return new Map(r.rows.map((x) => [x.session, { lastSeq: Number(x.last_seq), bytes: Number(x.bytes) }]));
  }

  async append(sourceId: string, session: string, rows: ArchiveRow[], to: SessionPosition): Promise<number> {
    await this.#run("BEGIN");
    try {
      // One pusher per session at a time (two pushes of one folder at once): the second sees what the first stored.
      await this.#run("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`${sourceId}/${session}`]);
      const held = await this.#run<{ last_seq: string }>("SELECT last_seq FROM sessions WHERE source = $1 AND session = $2", [sourceId, session]);
      const heldSeq = held.rows.length > 0 ? Number(held.rows[0].last_seq) : 0;
      const fresh = rows.filter((r) => r.seq > heldSeq);
      const words = new Set<string>();
      if (fresh.length > 0) await this.#copy(sourceId, fresh, words);
      const facts = new FactBatch();
      for (const r of fresh) facts.add(sourceId, session, r.seq, r);
      await facts.store((sql, params) => this.#run(sql, params));
      const terms = newTerms(words, this.#sentTerms);
      if (terms.length > 0) await this.#run("INSERT INTO terms (term) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING", [terms]);
      const lastTs = fresh.length > 0 ? fresh.reduce((m, r) => (r.ts > m ? r.ts : m), fresh[0].ts) : null;
      await this.#run(
        `INSERT INTO sessions AS s (source, session, last_seq, bytes, seen_bytes, records, last_ts) VALUES ($1, $2, $3, $4, $4, $5, $6)
         ON CONFLICT (source, session) DO UPDATE SET
           bytes = CASE WHEN EXCLUDED.last_seq >= s.last_seq THEN EXCLUDED.bytes ELSE s.bytes END,
           last_seq = GREATEST(s.last_seq, EXCLUDED.last_seq),
           seen_bytes = GREATEST(s.seen_bytes, EXCLUDED.bytes),
           records = s.records + EXCLUDED.records,
           last_ts = GREATEST(s.last_ts, EXCLUDED.last_ts)`,
        [sourceId, session, Math.max(to.lastSeq, heldSeq), to.bytes, fresh.length, lastTs],
      );
      await this.#run("COMMIT");
      for (const t of terms) this.#sentTerms.add(t);
      return fresh.length;
    } catch (err) {
      await this.client.query("ROLLBACK").catch(() => {});
      throw err;
    }
  }

  /** COPY of the rows; `words` gathers their words (for the vocabulary) as they are encoded. */
  async #copy(sourceId: string, rows: ArchiveRow[], words: Set<string>): Promise<void> {
    const stream = this.client.query(copyFrom(`COPY records (${COPY_COLUMNS}) FROM STDIN`));
    try {
      await pipeline(Readable.from(copyChunks(sourceId, rows, words)), stream);
    } catch (err) {
      throw describe(err, this.location.url);
    }
  }

  async noteSeen(sourceId: string, fileBytes: Map<string, number>): Promise<void> {
    if (fileBytes.size === 0) return;
    await this.#run(
      `INSERT INTO sessions AS s (source, session, seen_bytes) SELECT $1, x.session, x.bytes FROM unnest($2::text[], $3::bigint[]) AS x(session, bytes)
       ON CONFLICT (source, session) DO UPDATE SET seen_bytes = EXCLUDED.seen_bytes`,
      [sourceId, [...fileBytes.keys()], [...fileBytes.values()]],
    );
    await this.#run("UPDATE sources SET last_push_at = now() WHERE id = $1", [sourceId]);
  }

  async addCheckpoints(sourceId: string, checkpoints: ArchivedCheckpoint[]): Promise<number> {
    if (checkpoints.length === 0) return 0;
    const r = await this.#run(
      `INSERT INTO checkpoints (source, id, session, created_at, info)
       SELECT $1, c->>'id', c->>'session', (c->>'created_at')::timestamptz, c FROM jsonb_array_elements($2::jsonb) AS c
       ON CONFLICT DO NOTHING`,
      [sourceId, JSON.stringify(checkpoints)],
    );
    return r.rowCount ?? 0;
  }

  async sources(): Promise<SourceStatus[]> {
    const r = await this.#run<Record<string, string | null>>(
      `SELECT s.id, s.host, s.folder, s.last_push_at,
              count(ss.session) AS sessions, coalesce(sum(ss.records), 0) AS records, max(ss.last_ts) AS last_ts,
              coalesce(sum(GREATEST(ss.seen_bytes - ss.bytes, 0)), 0) AS behind,
              (SELECT count(*) FROM checkpoints c WHERE c.source = s.id) AS checkpoints
       FROM sources s LEFT JOIN sessions ss ON ss.source = s.id
       GROUP BY s.id ORDER BY s.host, s.folder`,
    );
    return r.rows.map((x) => ({
      id: String(x.id),
      host: String(x.host),
      folder: String(x.folder),
      sessions: Number(x.sessions),
      records: Number(x.records),
      checkpoints: Number(x.checkpoints),
      lastRecordAt: isoOrNull(x.last_ts),
      lastPushAt: isoOrNull(x.last_push_at),
      behindBytes: Number(x.behind),
    }));
  }

  async checkpoint(id: string, sources?: string[]): Promise<(ArchivedCheckpoint & { source: string })[]> {
    const r = await this.#run<{ source: string; info: ArchivedCheckpoint }>(
      `SELECT source, info FROM checkpoints WHERE id = $1 ${sources ? "AND source = ANY($2::uuid[])" : ""} ORDER BY source`,
      sources ? [id, sources] : [id],
    );
    return r.rows.map((x) => ({ ...x.info, source: String(x.source) }));
  }

  async sessions(): Promise<ArchivedSession[]> {
    const r = await this.#run<Record<string, string | null>>(
      `SELECT ss.source, s.host, s.folder, ss.session, ss.records, ss.last_seq, ss.last_ts, ss.bytes
       FROM sessions ss JOIN sources s ON s.id = ss.source WHERE ss.records > 0
       ORDER BY s.host, s.folder, ss.last_ts DESC NULLS LAST, ss.session DESC`,
    );
    return r.rows.map((x) => ({
      source: String(x.source),
      host: String(x.host),
      folder: String(x.folder),
      session: String(x.session),
      records: Number(x.records),
      lastSeq: Number(x.last_seq),
      lastTs: isoOrNull(x.last_ts),
      bytes: Number(x.bytes),
    }));
  }

  async lines(sel: LineSelection): Promise<ArchivedLine[]> {
    const { where, params } = selectionWhere(sel);
    const order = { id: "r.id", seq: "r.source, r.seq", time: "r.ts, r.id" }[lineOrder(sel)];
    const tail = sel.tail !== undefined;
    const desc = order.split(", ").map((c) => `${c} DESC`).join(", ");
    const r = await this.#run<Record<string, string>>(
      `SELECT r.id, r.source, s.host, r.session, r.seq, r.line_offset, r.line FROM records r JOIN sources s ON s.id = r.source
       ${where} ORDER BY ${tail ? desc : order}${pageClause(sel)}`,
      params,
    );
    const out = r.rows.map((x) => ({
      id: Number(x.id),
      source: String(x.source),
      host: x.host,
      session: x.session,
      seq: Number(x.seq),
      offset: Number(x.line_offset),
      line: x.line,
    }));
    return tail ? out.reverse() : out;
  }

  async tappedRewound(ids: number[]): Promise<Set<number>> {
    const r = await this.#run<{ record: string }>(`${TAPPED_REWOUND} WHERE p.record = ANY($1::bigint[])`, [ids]);
    return new Set(r.rows.map((x) => Number(x.record)));
  }

  async count(sel: LineSelection): Promise<number> {
    const { where, params } = selectionWhere(sel);
    const r = await this.#run<{ n: string }>(`SELECT count(*) AS n FROM records r ${where}`, params);
    return Number(r.rows[0].n);
  }

  async wordMatch(word: QueryWord): Promise<WordMatch> {
    const k = maxTypos(word.term.length);
    const found = new Set<string>();
    if (word.prefix) {
      const r = await this.#run<{ term: string }>("SELECT term FROM terms WHERE term LIKE $1 ORDER BY term LIMIT $2", [`${likeEscape(word.term)}%`, CANDIDATES]);
      for (const x of r.rows) found.add(x.term);
    }
    if (k > 0) {
      // Near spellings by trigrams (GIN), at most CANDIDATES, closest first; the local fuzzy step picks among them.
      const op = word.prefix ? "$1 <% term" : "term % $1";
      const r = await this.#run<{ term: string }>(
        `SELECT term FROM terms WHERE ${op} ORDER BY similarity(term, $1) DESC LIMIT $2`,
        [word.term, CANDIDATES],
      );
      for (const x of r.rows) found.add(x.term);
    }
    return new Vocabulary(new CandidateTerms(found)).match(word);
  }

  async matches(req: MatchRequest): Promise<ArchiveMatch[]> {
    const words = wordsQuery(req.words, req.query.phrases, req.withTypos);
    const { rest, has } = splitRewound(req.query.filters);
    const filters = filtersQuery(rest);
    const where = ["r.kind = 'message'"];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replaceAll("?", `$${params.length}`));
    };
    const full = [words, filters].filter((q): q is string => q !== null).join(" & ");
    if (full) add("r.tsv @@ ?::tsquery", full);
    // As a list of ids, not `tsv @@ … OR id IN (…)`: the facet tokens' rows still come from the GIN index.
    if (has) add(`r.id IN (SELECT id FROM records WHERE tsv @@ ?::tsquery UNION ALL ${TAPPED_REWOUND})`, groupsQuery(hasGroups(has)));
    const { since, until } = req.query.filters;
    if (since !== undefined) add("r.ts >= to_timestamp(? / 1000.0)", since);
    if (until !== undefined) add("r.ts <= to_timestamp(? / 1000.0)", until);
    if (req.sources) add("r.source = ANY(?::uuid[])", req.sources);
    const pool = words ? Math.max(MATCH_POOL, req.limit) : req.limit;
    params.push(pool);
    const newest = `SELECT r.source, r.session, r.seq, r.line_offset, r.line_length, r.ts, r.line, r.tsv,
                           r.id IN (${TAPPED_REWOUND}) AS rewound FROM records r
                    WHERE ${where.join(" AND ")} ORDER BY r.ts DESC, r.id DESC LIMIT $${params.length}`;
    let rank = "0";
    if (words) {
      params.push(words);
      rank = `ts_rank('{0,0,0,1}', m.tsv, $${params.length}::tsquery)`;
    }
    const r = await this.#run<Record<string, unknown>>(
      `SELECT m.source, m.session, m.seq, m.line_offset, m.line_length, m.ts, m.line, m.rewound, ${rank} AS rank FROM (${newest}) m`,
      params,
    );
    const found = r.rows.map((x) => ({
      source: String(x.source),
      session: String(x.session),
      seq: Number(x.seq),
      offset: Number(x.line_offset),
      length: Number(x.line_length),
      ts: (x.ts as Date).toISOString(),
      line: String(x.line),
      rewound: x.rewound === true,
      score: -Number(x.rank),
    }));
    return words ? boostedByRecency(found).slice(0, req.limit) : found;
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

function* copyChunks(sourceId: string, rows: ArchiveRow[], words: Set<string>): Generator<string> {
  let chunk = "";
  for (const row of rows) {
    const w = row.message ? messageWords(row.message) : [];
    for (const x of w) words.add(x);
    chunk += copyLine(sourceId, row, w);
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

/** The WHERE clause of a line selection and its parameters. */
function selectionWhere(sel: LineSelection): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace("?", `$${params.length}`));
  };
  if (sel.session !== undefined) add("r.session = ?", sel.session);
  if (sel.upToSeq !== undefined) add("r.seq <= ?", sel.upToSeq);
  if (sel.afterId !== undefined) add("r.id > ?", sel.afterId);
  if (sel.upToId !== undefined) add("r.id <= ?", sel.upToId);
  if (sel.sources) add("r.source = ANY(?::uuid[])", sel.sources);
  return { where: where.length > 0 ? `WHERE ${where.join(" AND ")}` : "", params };
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, "\\$&");
}

function isoOrNull(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}
