// The PostgreSQL archive's share of a live tap's rewinds (src/archive/tappedRewinds.ts): the facts of a batch's rows,
// stored after the rows in their transaction (a place names its record by id, which the COPY gave it), and those of
// the lines an archive held before it had the tables.
import type pg from "pg";
import { MAY_HAVE_FACTS, rewindFactsOfLine, type RewindFacts } from "../tappedRewinds.ts";
import { SCHEMA } from "./schemaName.ts";

type Run = (sql: string, params: unknown[]) => Promise<unknown>;

/** Facts gathered as arrays, then stored in a statement per table. */
export class FactBatch {
  readonly #places = { sources: [] as string[], sessions: [] as string[], seqs: [] as number[], files: [] as string[], lines: [] as number[] };
  readonly #rewinds = { sources: [] as string[], files: [] as string[], lines: [] as number[] };

  add(source: string, session: string, seq: number, facts: RewindFacts): void {
    if (facts.place) {
      const p = this.#places;
      p.sources.push(source);
      p.sessions.push(session);
      p.seqs.push(seq);
      p.files.push(facts.place.file);
      p.lines.push(facts.place.line);
    }
    for (const named of facts.named ?? []) {
      this.#rewinds.sources.push(source);
      this.#rewinds.files.push(named.file);
      this.#rewinds.lines.push(named.line);
    }
  }

  /** Stores what was added (the records the places name stored already), and starts over. */
  async store(run: Run): Promise<void> {
    const p = this.#places;
    if (p.seqs.length > 0) {
      await run(
        `INSERT INTO ${SCHEMA}.places (record, source, file, line)
         SELECT r.id, r.source, x.file, x.line FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::bigint[]) AS x(source, session, seq, file, line)
         JOIN ${SCHEMA}.records r ON r.source = x.source AND r.session = x.session AND r.seq = x.seq`,
        [p.sources, p.sessions, p.seqs, p.files, p.lines],
      );
    }
    const w = this.#rewinds;
    if (w.lines.length > 0) {
      await run(`INSERT INTO ${SCHEMA}.rewinds (source, file, line) SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING`, [w.sources, w.files, w.lines]);
    }
    for (const list of [...Object.values(p), ...Object.values(w)]) list.length = 0;
  }
}

/** Schema 2: the facts of every line stored, read a page at a time. */
export async function placeStoredRows(client: pg.Client): Promise<void> {
  const run: Run = (sql, params) => client.query(sql, params);
  const batch = new FactBatch();
  for (let after = 0; ; ) {
    const r = await client.query<{ id: string; source: string; session: string; seq: string; line: string }>(
      `SELECT id, source, session, seq, line FROM ${SCHEMA}.records
       WHERE id > $1 AND ((kind = 'message' AND line LIKE $2) OR (kind = 'event' AND line LIKE $3)) ORDER BY id LIMIT 2000`,
      [after, MAY_HAVE_FACTS.message, MAY_HAVE_FACTS.event],
    );
    if (r.rows.length === 0) return;
    for (const x of r.rows) batch.add(x.source, x.session, Number(x.seq), rewindFactsOfLine(x.line));
    await batch.store(run);
    after = Number(r.rows[r.rows.length - 1].id);
  }
}
