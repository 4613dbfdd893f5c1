// Rewinds a live tap recorded, in the index. A `transcript_rewound` event comes after the messages it takes back and
// names them by their place in the transcript (file and line), so the index keeps, for each transcript message, that
// place → its row (`source_refs`), and the places every event named (`rewinds`). An event indexed after the messages
// it names re-marks their rows (a lookup); a message indexed after an event that names it (a session indexed again,
// a checkpoint's history loaded into a new session) is marked as it is added. Marked means what import's
// meta.rewound gives: the `has:rewound` facet.
import type Database from "better-sqlite3";
import type { SessionRecord } from "../record.ts";
import { openSessionSource } from "../storage/sessionSource.ts";
import { isRewoundEvent } from "../transcripts/rewindEvent.ts";
import { facetText, transcriptFacetExpression } from "./facets.ts";
import { parseQuery } from "./queryParser.ts";
import { readRecordAt } from "./recordAt.ts";
import { docFields, type DocFields } from "./recordFields.ts";

export const REWINDS_SCHEMA = `
CREATE TABLE sources(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
CREATE TABLE source_refs(doc INTEGER PRIMARY KEY, source INTEGER NOT NULL, line INTEGER NOT NULL, rewound INTEGER NOT NULL);
CREATE INDEX source_refs_place ON source_refs(source, line);
CREATE TABLE rewinds(file INTEGER NOT NULL, source INTEGER NOT NULL, line INTEGER NOT NULL);
CREATE INDEX rewinds_place ON rewinds(source, line);
CREATE INDEX rewinds_file ON rewinds(file);
`;

/** A place in a transcript: its file as meta.source names it, and the line. */
export interface SourcePlace {
  file: string;
  line: number;
}

/** The places a rewind event of a session names, or none for any other record. */
export function placesNamedBy(rec: SessionRecord | null): SourcePlace[] {
  if (!rec || !isRewoundEvent(rec)) return [];
  return rec.lines.filter((l) => typeof l === "number").map((line) => ({ file: rec.file, line }));
}

/** The place a transcript message came from, or undefined for any other message. */
export function placeOf(rec: SessionRecord): SourcePlace | undefined {
  const src = rec.kind === "message" ? rec.meta?.source : undefined;
  return src && typeof src.file === "string" && typeof src.line === "number" ? { file: src.file, line: src.line } : undefined;
}

/** An indexed message to be marked again: its row, and its text and facets with the mark. */
export interface Remark {
  rowid: number;
  text: string;
  facets: string;
}

/** Writes the places and marks in the caller's transaction, and drops a file's. */
export class RewindsWriter {
  readonly #sourceIds = new Map<string, number>();
  readonly #findSource: Database.Statement;
  readonly #addSource: Database.Statement;
  readonly #addRef: Database.Statement;
  readonly #addRewind: Database.Statement;
  readonly #isRewound: Database.Statement;
  readonly #named: Database.Statement;
  readonly #deleteText: Database.Statement;
  readonly #insertText: Database.Statement;
  readonly #marked: Database.Statement;
  readonly #dropRefs: Database.Statement;
  readonly #dropRewinds: Database.Statement;

  constructor(readonly db: Database.Database) {
    this.#findSource = db.prepare("SELECT id FROM sources WHERE path = ?").pluck();
    this.#addSource = db.prepare("INSERT INTO sources(path) VALUES (?)");
    this.#addRef = db.prepare("INSERT INTO source_refs(doc, source, line, rewound) VALUES (?, ?, ?, ?)");
    this.#addRewind = db.prepare("INSERT INTO rewinds(file, source, line) VALUES (?, ?, ?)");
    this.#isRewound = db.prepare("SELECT 1 FROM rewinds WHERE source = ? AND line = ? LIMIT 1").pluck();
    this.#named = db.prepare(
      `SELECT r.doc AS rowid, d.offset, d.length, f.path FROM source_refs r JOIN docs d ON d.rowid = r.doc
       JOIN files f ON f.id = d.file WHERE r.source = ? AND r.line = ? AND r.rewound = 0`,
    );
    this.#deleteText = db.prepare("DELETE FROM fts WHERE rowid = ?");
    this.#insertText = db.prepare("INSERT INTO fts(rowid, text, facets) VALUES (?, ?, ?)");
    this.#marked = db.prepare("UPDATE source_refs SET rewound = 1 WHERE doc = ?");
    this.#dropRefs = db.prepare("DELETE FROM source_refs WHERE doc IN (SELECT rowid FROM docs WHERE file = ?)");
    this.#dropRewinds = db.prepare("DELETE FROM rewinds WHERE file = ?");
  }

  /** The places events of indexed file `fileId` named (before its documents are added: they may be among them). */
  addRewinds(fileId: number, places: SourcePlace[]): void {
    for (const p of places) this.#addRewind.run(fileId, this.#sourceId(p.file), p.line);
  }

  /** A transcript message's place, as its row is added; its fields marked when an event named it already. */
  addRef(doc: number | bigint, place: SourcePlace, fields: DocFields): void {
    const source = this.#sourceId(place.file);
    if (!fields.rewound && this.#isRewound.get(source, place.line) !== undefined) fields.rewound = true;
    this.#addRef.run(doc, source, place.line, fields.rewound ? 1 : 0);
  }

  /** Rows of indexed messages at these places not marked yet, and where their lines are. */
  unmarkedAt(places: SourcePlace[]): Array<{ rowid: number; offset: number; length: number; path: string }> {
    return places.flatMap((p) => {
      const source = this.#findSource.get(p.file) as number | undefined;
      return source === undefined ? [] : (this.#named.all(source, p.line) as Array<{ rowid: number; offset: number; length: number; path: string }>);
    });
  }

  /** Marks indexed messages: their FTS5 row replaced (a contentless table takes no partial update). */
  remark(remarks: Remark[]): void {
    for (const r of remarks) {
      this.#deleteText.run(r.rowid);
      this.#insertText.run(r.rowid, r.text, r.facets);
      this.#marked.run(r.rowid);
    }
  }

  /** A file indexed again from the start: its places and its events' places go with its documents. */
  drop(fileId: number): void {
    this.#dropRefs.run(fileId);
    this.#dropRewinds.run(fileId);
  }

  #sourceId(file: string): number {
    let id = this.#sourceIds.get(file) ?? (this.#findSource.get(file) as number | undefined);
    if (id === undefined) id = Number(this.#addSource.run(file).lastInsertRowid);
    this.#sourceIds.set(file, id);
    return id;
  }
}

/**
 * The marks events ask for on messages indexed already: each row's line read again (the index keeps no text) and its
 * fields made with the mark. A line that no longer holds a message (the file changed under the index) is left.
 */
export async function remarksFor(writer: RewindsWriter, places: SourcePlace[]): Promise<Remark[]> {
  const out: Remark[] = [];
  const rows = writer.unmarkedAt(places);
  const byPath = new Map<string, typeof rows>();
  for (const r of rows) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  for (const [path, inFile] of byPath) {
    const fh = await openSessionSource(path).catch(() => null);
    if (!fh) continue;
    try {
      for (const row of inFile) {
        const rec = await readRecordAt(fh, row.offset, row.length);
        if (rec?.kind !== "message") continue;
        const fields = { ...docFields(rec), rewound: true };
        out.push({ rowid: row.rowid, text: fields.text, facets: facetText(fields) });
      }
    } finally {
      await fh.close();
    }
  }
  return out;
}

/**
 * Index schema 7 → 8: the tables, and the session files holding transcript messages (whose places the index does not
 * have) indexed again — by giving them an inode no file has, which the indexer takes for a replaced file. Sessions of
 * broker messages alone keep their documents.
 */
export function addRewindTables(db: Database.Database): void {
  db.exec(REWINDS_SCHEMA);
  const transcripts = transcriptFacetExpression(parseQuery("source:claude source:gemini source:codex ").filters)!;
  db.prepare("UPDATE files SET ino = -1 WHERE id IN (SELECT DISTINCT d.file FROM docs d WHERE d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?))").run(transcripts);
}
