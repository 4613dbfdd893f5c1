// The SQLite archive's share of a live tap's rewinds (src/archive/tappedRewinds.ts): the facts of each row stored,
// in the caller's transaction, and those of the lines an archive held before it had the tables.
import type Database from "better-sqlite3";
import { MAY_HAVE_FACTS, rewindFactsOfLine, type RewindFacts } from "../tappedRewinds.ts";

export class FactWriter {
  readonly #place: Database.Statement;
  readonly #rewind: Database.Statement;

  constructor(db: Database.Database) {
    this.#place = db.prepare("INSERT INTO places (record, source, file, line) VALUES (?, ?, ?, ?)");
    this.#rewind = db.prepare("INSERT OR IGNORE INTO rewinds (source, file, line) VALUES (?, ?, ?)");
  }

  add(source: string, record: number | bigint, facts: RewindFacts): void {
    if (facts.place) this.#place.run(record, source, facts.place.file, facts.place.line);
    for (const p of facts.named ?? []) this.#rewind.run(source, p.file, p.line);
  }
}

/** Schema 2: the facts of every line stored, read a page at a time (a statement being read takes no writes). */
export function placeStoredRows(db: Database.Database): void {
  const writer = new FactWriter(db);
  const page = db.prepare(
    `SELECT id, source, line FROM records WHERE id > ? AND ((kind = 'message' AND line LIKE ?) OR (kind = 'event' AND line LIKE ?))
     ORDER BY id LIMIT 1000`,
  );
  for (let after = 0; ; ) {
    const rows = page.all(after, MAY_HAVE_FACTS.message, MAY_HAVE_FACTS.event) as { id: number; source: string; line: string }[];
    if (rows.length === 0) return;
    for (const r of rows) writer.add(r.source, r.id, rewindFactsOfLine(r.line));
    after = rows[rows.length - 1].id;
  }
}
