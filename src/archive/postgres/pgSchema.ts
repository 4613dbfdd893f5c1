// The archive's schema in PostgreSQL, as numbered migrations. They are applied in order, each in its transaction,
// under an advisory lock, so several hosts starting at once apply each exactly once; `schema_migrations` says which
// are in. A migration is never changed once released: a change is a new one.
import type pg from "pg";
import { placeStoredRows } from "./pgRewinds.ts";
import { SCHEMA } from "./schemaName.ts";

/** Any fixed number, the same in every Shearwater: hosts migrating at once wait for each other on it. */
const MIGRATION_LOCK = 0x5ea4a7e7;

/** `data`: run after `sql` in the same transaction, for what SQL alone cannot derive from the stored lines. */
export const MIGRATIONS: { version: number; sql: string; data?: (client: pg.Client) => Promise<void> }[] = [
  {
    version: 1,
    sql: `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE ${SCHEMA}.sources (
  id uuid PRIMARY KEY,
  host text NOT NULL,
  folder text NOT NULL,
  first_push_at timestamptz NOT NULL DEFAULT now(),
  last_push_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${SCHEMA}.sessions (
  source uuid NOT NULL REFERENCES ${SCHEMA}.sources(id),
  session text NOT NULL,
  last_seq bigint NOT NULL DEFAULT 0,
  bytes bigint NOT NULL DEFAULT 0,
  seen_bytes bigint NOT NULL DEFAULT 0,
  records bigint NOT NULL DEFAULT 0,
  last_ts timestamptz,
  PRIMARY KEY (source, session)
);
CREATE TABLE ${SCHEMA}.records (
  id bigint GENERATED ALWAYS AS IDENTITY,
  source uuid NOT NULL,
  session text NOT NULL,
  seq bigint NOT NULL,
  line_offset bigint NOT NULL,
  line_length integer NOT NULL,
  ts timestamptz NOT NULL,
  kind text NOT NULL,
  line text NOT NULL,
  tsv tsvector,
  PRIMARY KEY (source, session, seq)
);
CREATE UNIQUE INDEX records_id ON ${SCHEMA}.records (id);
CREATE INDEX records_ts ON ${SCHEMA}.records (ts);
-- New entries gather in a pending list merged into the index in bulk, 64 MB at a time: about 1.4 times the COPY
-- rate of merging each row's words on arrival (25,800 against 19,100 rows/s, psql \copy of 1 KB messages).
CREATE INDEX records_tsv ON ${SCHEMA}.records USING gin (tsv) WITH (gin_pending_list_limit = 65536);
CREATE TABLE ${SCHEMA}.terms (term text PRIMARY KEY);
CREATE INDEX terms_trgm ON ${SCHEMA}.terms USING gin (term gin_trgm_ops);
CREATE TABLE ${SCHEMA}.checkpoints (
  source uuid NOT NULL REFERENCES ${SCHEMA}.sources(id),
  id text NOT NULL,
  session text NOT NULL,
  created_at timestamptz NOT NULL,
  info jsonb NOT NULL,
  PRIMARY KEY (source, id)
);`,
  },
  {
    // A live tap's rewinds (src/archive/tappedRewinds.ts): the places of transcript messages and the places rewind
    // events named, taken from the lines stored so far too. Whoever may add records (docs/archive-roles.sql's
    // writer) may add these with them, as a push stores both in one transaction, and whoever may read records
    // (the reader too) may read these, which a search joins.
    version: 2,
    sql: `
CREATE TABLE ${SCHEMA}.places (
  record bigint PRIMARY KEY,
  source uuid NOT NULL,
  file text NOT NULL,
  line bigint NOT NULL
);
CREATE INDEX places_at ON ${SCHEMA}.places (source, file, line);
CREATE TABLE ${SCHEMA}.rewinds (
  source uuid NOT NULL,
  file text NOT NULL,
  line bigint NOT NULL,
  PRIMARY KEY (source, file, line)
);
DO $$
DECLARE g record;
BEGIN
  FOR g IN
    SELECT DISTINCT a.privilege_type AS privilege, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS role
    FROM pg_class c, aclexplode(c.relacl) a
    WHERE c.oid = '${SCHEMA}.records'::regclass AND a.privilege_type IN ('INSERT', 'SELECT') AND a.grantee <> c.relowner
  LOOP
    EXECUTE format('GRANT %s ON ${SCHEMA}.places, ${SCHEMA}.rewinds TO %s', g.privilege, g.role);
  END LOOP;
END $$;`,
    data: placeStoredRows,
  },
];

export const LATEST_VERSION = MIGRATIONS.at(-1)!.version;

export async function schemaVersion(client: pg.Client): Promise<number> {
  const table = await client.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [`${SCHEMA}.schema_migrations`]);
  if (!table.rows[0].t) return 0;
  const r = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${SCHEMA}.schema_migrations`);
  return r.rows[0].v ?? 0;
}

export async function migrate(client: pg.Client): Promise<{ from: number; to: number }> {
  // Up to date: nothing to lock or create (a writer or reader role, which may not, is told so).
  const current = await schemaVersion(client);
  if (current >= LATEST_VERSION) return { from: current, to: current };
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const from = await schemaVersion(client);
    for (const m of MIGRATIONS.filter((x) => x.version > from)) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await m.data?.(client);
        await client.query(`INSERT INTO ${SCHEMA}.schema_migrations (version) VALUES ($1)`, [m.version]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      }
    }
    return { from, to: Math.max(from, LATEST_VERSION) };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
  }
}
