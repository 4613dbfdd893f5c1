// The SQLite archive's schema, as numbered migrations applied in order in one immediate transaction each (a second
// process waits for the first, then finds them applied). Tokenizer and vocabulary table as the local index's
// (src/search/indexStore.ts), so its query expressions and typo matching work unchanged.
import type Database from "better-sqlite3";
import { placeStoredRows } from "./sqliteRewinds.ts";

/** `data`: run after `sql` in the same transaction, for what SQL alone cannot derive from the stored lines. */
const MIGRATIONS: { version: number; sql: string; data?: (db: Database.Database) => void }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE sources (id TEXT PRIMARY KEY, host TEXT NOT NULL, folder TEXT NOT NULL, first_push_at TEXT NOT NULL,
  last_push_at TEXT NOT NULL);
CREATE TABLE sessions (source TEXT NOT NULL REFERENCES sources(id), session TEXT NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0, seen_bytes INTEGER NOT NULL DEFAULT 0, records INTEGER NOT NULL DEFAULT 0, last_ts TEXT,
  PRIMARY KEY (source, session)) WITHOUT ROWID;
CREATE TABLE records (id INTEGER PRIMARY KEY, source TEXT NOT NULL, session TEXT NOT NULL, seq INTEGER NOT NULL,
  line_offset INTEGER NOT NULL, line_length INTEGER NOT NULL, ts TEXT NOT NULL, ts_ms INTEGER NOT NULL, kind TEXT NOT NULL,
  line TEXT NOT NULL, UNIQUE (source, session, seq));
CREATE INDEX records_ts ON records (ts_ms);
CREATE VIRTUAL TABLE fts USING fts5(text, facets, content='', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE terms (term TEXT PRIMARY KEY, len INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX terms_len ON terms (len);
CREATE TABLE checkpoints (source TEXT NOT NULL REFERENCES sources(id), id TEXT NOT NULL, session TEXT NOT NULL,
  created_at TEXT NOT NULL, info TEXT NOT NULL, PRIMARY KEY (source, id)) WITHOUT ROWID;`,
  },
  {
    // A live tap's rewinds (src/archive/tappedRewinds.ts): the places of transcript messages and the places rewind
    // events named, taken from the lines stored so far too.
    version: 2,
    sql: `
CREATE TABLE places (record INTEGER PRIMARY KEY, source TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL);
CREATE INDEX places_at ON places (source, file, line);
CREATE TABLE rewinds (source TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (source, file, line)) WITHOUT ROWID;`,
    data: placeStoredRows,
  },
];

export const LATEST_SQLITE_VERSION = MIGRATIONS.at(-1)!.version;

export function sqliteSchemaVersion(db: Database.Database): number {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").get();
  if (!has) return 0;
  return (db.prepare("SELECT max(version) FROM schema_migrations").pluck().get() as number | null) ?? 0;
}

export function migrateSqlite(db: Database.Database): { from: number; to: number } {
  return db
    .transaction(() => {
      db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
      const from = sqliteSchemaVersion(db);
      for (const m of MIGRATIONS.filter((x) => x.version > from)) {
        db.exec(m.sql);
        m.data?.(db);
        db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(m.version, new Date().toISOString());
      }
      return { from, to: Math.max(from, LATEST_SQLITE_VERSION) };
    })
    .immediate();
}
