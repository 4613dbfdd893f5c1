// The search index in <logs>/metadata_index/index.sqlite: an FTS5 table over message text (and filter values, see
// facets.ts), a table of the fields queries filter on and of where each message lives, how far each session file
// has been indexed, and the vocabulary (distinct terms) that typo-tolerant queries match against. Reading the vocabulary from FTS5 itself
// (fts5vocab) walks every posting, seconds on a large index, so it is copied into `terms` after large builds and
// kept up to date by the indexer between them; readers load `terms` when its version changes.
// It is derived data: when it is missing, of another schema version or damaged, it is deleted and built again; an
// index of an earlier version is upgraded in place (MIGRATIONS). Per file counts for reports: indexCounts.ts; rewinds
// a live tap recorded: indexRewinds.ts.
import fs, { closeSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { logsPaths } from "../storage/logsDir.ts";
import { openPrivateSync } from "../storage/privateFile.ts";
import { facetText } from "./facets.ts";
import { COUNTS_SCHEMA, countIndexedDocs, CountsWriter } from "./indexCounts.ts";
import { addRewindTables, REWINDS_SCHEMA, RewindsWriter, type Remark, type SourcePlace } from "./indexRewinds.ts";
import type { DocFields } from "./recordFields.ts";

export const SCHEMA_VERSION = 8;

/** How an index of an earlier version becomes one of the next, in one transaction (from version → the step). */
const MIGRATIONS: Record<number, (db: Database.Database) => void> = {
  6: countIndexedDocs,
  7: addRewindTables,
};

export interface IndexedFile {
  id: number;
  session: string;
  path: string;
  ino: number;
  /** File size when last indexed. */
  size: number;
  /** Every complete line before this byte offset is indexed. */
  indexedTo: number;
}

export interface DocRow extends DocFields {
  offset: number;
  length: number;
  seq: number;
  /** Of a transcript message: where in its transcript it came from. */
  place?: SourcePlace;
}

/** What one transaction adds: documents, the places rewind events among them named, marks on rows indexed before. */
export interface DocBatch {
  rows: DocRow[];
  rewinds: SourcePlace[];
  remarks: Remark[];
}

const SCHEMA = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE files(id INTEGER PRIMARY KEY, session TEXT NOT NULL UNIQUE, path TEXT NOT NULL, ino INTEGER NOT NULL,
  size INTEGER NOT NULL, indexed_to INTEGER NOT NULL);
CREATE TABLE docs(rowid INTEGER PRIMARY KEY, file INTEGER NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL,
  seq INTEGER NOT NULL, ts INTEGER NOT NULL, agent TEXT COLLATE NOCASE, recipient TEXT COLLATE NOCASE, topic TEXT,
  type TEXT, chain TEXT, tier INTEGER, tags TEXT);
CREATE INDEX docs_file_ts ON docs(file, ts);
CREATE VIRTUAL TABLE fts USING fts5(text, facets, content='', contentless_delete=1,
  tokenize='unicode61 remove_diacritics 2');
-- FTS5 writes a segment each time its pending terms pass hashsize (1 MiB by default); a larger one means far
-- fewer segments to merge later: building is about 2.5 times faster.
INSERT INTO fts(fts, rank) VALUES ('hashsize', 16777216);
CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, col);
-- The vocabulary ready for typo-tolerant matching: in order (prefixes) and by length (typos), see indexTerms.ts.
CREATE TABLE terms(term TEXT PRIMARY KEY, len INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX terms_len ON terms(len);
INSERT INTO meta(key, value) VALUES ('terms_version', '0');
${COUNTS_SCHEMA}${REWINDS_SCHEMA}`;

export function indexPath(logsDir: string): string {
  return path.join(logsPaths(logsDir).index, "index.sqlite");
}

export function deleteIndex(logsDir: string): void {
  const file = indexPath(logsDir);
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

/** A read-only view for queries, or null when there is no usable index yet (the caller scans instead). */
export function openIndexForReading(logsDir: string): Database.Database | null {
  let db: Database.Database | undefined;
  try {
    closeSync(openPrivateSync(indexPath(logsDir), "r")); // never through a planted link, never another user's
    db = new Database(indexPath(logsDir), { readonly: true, fileMustExist: true });
    if (versionOf(db) !== SCHEMA_VERSION) throw new Error("stale schema");
    return db;
  } catch {
    db?.close();
    return null;
  }
}

export class IndexWriter {
  readonly #db: Database.Database;
  readonly #insertDoc: Database.Statement;
  readonly #insertText: Database.Statement;
  readonly #progress: Database.Statement;
  readonly #counts: CountsWriter;
  readonly rewinds: RewindsWriter;
  readonly #addDocs: (fileId: number, batch: DocBatch, indexedTo: number, size: number) => void;

  /** Opens the index for building; a missing, stale or damaged one is replaced by an empty one. */
  static open(logsDir: string): IndexWriter {
    fs.mkdirSync(logsPaths(logsDir).index, { recursive: true, mode: 0o700 });
    try {
      return new IndexWriter(openChecked(indexPath(logsDir)));
    } catch {
      deleteIndex(logsDir);
      return new IndexWriter(openChecked(indexPath(logsDir)));
    }
  }

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#insertDoc = db.prepare(
      `INSERT INTO docs(file, offset, length, seq, ts, agent, recipient, topic, type, chain, tier, tags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertText = db.prepare("INSERT INTO fts(rowid, text, facets) VALUES (?, ?, ?)");
    this.#progress = db.prepare("UPDATE files SET indexed_to = ?, size = ? WHERE id = ?");
    this.#counts = new CountsWriter(db);
    this.rewinds = new RewindsWriter(db);
    this.#addDocs = db.transaction((fileId: number, { rows, rewinds, remarks }: DocBatch, indexedTo: number, size: number) => {
      this.rewinds.addRewinds(fileId, rewinds);
      for (const r of rows) {
        const tags = r.tags.length > 0 ? ` ${r.tags.join(" ")} ` : "";
        const { lastInsertRowid } = this.#insertDoc.run(
          fileId, r.offset, r.length, r.seq, r.ts, r.agent, r.recipient, r.topic, r.type, r.chain, r.tier, tags,
        );
        if (r.place) this.rewinds.addRef(lastInsertRowid, r.place, r);
        this.#insertText.run(lastInsertRowid, r.text, facetText(r));
      }
      this.rewinds.remark(remarks);
      this.#counts.add(fileId, rows);
      this.#progress.run(indexedTo, size, fileId);
    });
  }

  files(): IndexedFile[] {
    return this.#db
      .prepare("SELECT id, session, path, ino, size, indexed_to AS indexedTo FROM files")
      .all() as IndexedFile[];
  }

  /** Starts (or restarts from scratch) the index of one session file. */
  resetFile(session: string, file: string, ino: number): IndexedFile {
    return this.#db.transaction(() => {
      const old = this.#db.prepare("SELECT id FROM files WHERE session = ?").get(session) as { id: number } | undefined;
      if (old) {
        this.#db.prepare("DELETE FROM fts WHERE rowid IN (SELECT rowid FROM docs WHERE file = ?)").run(old.id);
        this.rewinds.drop(old.id); // its places are found through its documents: before they go
        this.#db.prepare("DELETE FROM docs WHERE file = ?").run(old.id);
        this.#counts.drop(old.id);
        this.#db.prepare("DELETE FROM files WHERE id = ?").run(old.id);
      }
      const { lastInsertRowid } = this.#db
        .prepare("INSERT INTO files(session, path, ino, size, indexed_to) VALUES (?, ?, ?, 0, 0)")
        .run(session, file, ino);
      return { id: Number(lastInsertRowid), session, path: file, ino, size: 0, indexedTo: 0 };
    })();
  }

  /** A sealed session keeps its inode but moves: only its path changes. */
  movedFile(id: number, file: string): void {
    this.#db.prepare("UPDATE files SET path = ? WHERE id = ?").run(file, id);
  }

  /** The vocabulary copied again from FTS5 (after a large pass: cheaper than tokenizing every message twice). */
  refreshTerms(): string[] {
    return this.#db.transaction(() => {
      this.#db.exec("DELETE FROM terms; INSERT INTO terms(term, len) SELECT term, length(term) FROM vocab WHERE col = 'text'");
      this.#bumpTermsVersion();
      return this.terms();
    })();
  }

  terms(): string[] {
    return this.#db.prepare("SELECT term FROM terms").pluck().all() as string[];
  }

  addTerms(terms: string[]): void {
    if (terms.length === 0) return;
    this.#db.transaction(() => {
      const add = this.#db.prepare("INSERT OR IGNORE INTO terms(term, len) VALUES (?, length(?))");
      for (const t of terms) add.run(t, t);
      this.#bumpTermsVersion();
    })();
  }

  #bumpTermsVersion(): void {
    this.#db.prepare("UPDATE meta SET value = value + 1 WHERE key = 'terms_version'").run();
  }

  /** One transaction: the documents and how far the file is now indexed, so progress never runs ahead of data. */
  addDocs(fileId: number, batch: DocBatch, indexedTo: number, size: number): void {
    this.#addDocs(fileId, batch, indexedTo, size);
  }

  close(): void {
    this.#db.close();
  }
}

function openChecked(file: string): Database.Database {
  makePrivate(file);
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    // Derived data: a commit lost to a power cut is indexed again, a damaged file is rebuilt. Speed wins.
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -65536");
    db.pragma("wal_autocheckpoint = 10000");
    const hasSchema = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'meta'").get() !== undefined;
    if (!hasSchema) {
      db.exec(SCHEMA);
      db.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
    } else {
      if (db.pragma("quick_check", { simple: true }) !== "ok") throw new Error("index damaged");
      migrate(db);
      if (versionOf(db) !== SCHEMA_VERSION) throw new Error("stale schema");
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * The index holds message text: owner-only whatever the umask, and never opened through a planted link. SQLite gives
 * the -wal and -shm files it creates the database file's mode, so the database is created (or tightened) first;
 * -wal and -shm left by an earlier run are tightened too.
 */
export function makePrivate(file: string): void {
  closeSync(openPrivateSync(file, "a"));
  for (const companion of [`${file}-wal`, `${file}-shm`]) {
    try {
      closeSync(openPrivateSync(companion, "r+"));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
}

/** Upgrades an index of an earlier version that has a migration, one version at a time. */
function migrate(db: Database.Database): void {
  for (let v = versionOf(db); v < SCHEMA_VERSION && MIGRATIONS[v]; v++) {
    db.transaction(() => {
      MIGRATIONS[v](db);
      db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(v + 1));
    })();
  }
}

function versionOf(db: Database.Database): number {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  return Number(row?.value);
}
