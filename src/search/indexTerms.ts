// The index's vocabulary as typo-tolerant matching reads it: straight from the `terms` table, by length and in order
// (its primary key and the `terms_len` index), so a process never loads, sorts or groups the whole vocabulary first.
import type Database from "better-sqlite3";
import type { TermSource } from "./fuzzy.ts";

/** Sorts after every character: `prefix` + this bounds the terms beginning with `prefix` (UTF-8 byte order). */
const LAST_CHAR = "\u{10FFFF}";

export class IndexTerms implements TermSource {
  readonly #withLengths: Database.Statement;
  readonly #startingWith: Database.Statement;
  readonly #beginnings: Database.Statement;

  constructor(db: Database.Database) {
    this.#withLengths = db.prepare("SELECT term FROM terms WHERE len BETWEEN ? AND ?").pluck();
    this.#startingWith = db.prepare("SELECT term FROM terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?").pluck();
    this.#beginnings = db.prepare("SELECT DISTINCT substr(term, 1, ?) FROM terms WHERE len >= ?").pluck();
  }

  withLengths(min: number, max: number): string[] {
    return this.#withLengths.all(min, max) as string[];
  }

  startingWith(prefix: string, max: number): string[] {
    return this.#startingWith.all(prefix, prefix + LAST_CHAR, max) as string[];
  }

  beginnings(length: number): string[] {
    return this.#beginnings.all(length, length) as string[];
  }
}
