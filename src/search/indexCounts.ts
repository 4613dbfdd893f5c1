// Per session file, how many messages the index holds by each value of the fields a report counts by (agent,
// recipient, tier, chain type, tag, topic, UTC hour, errors by agent): what the TUI's analytics pane draws first. Counting
// them from the documents is a scan of a session's rows per figure (seconds on a million); the indexer adds each
// batch's counts to this table in the transaction that adds its documents, so reading them costs a few milliseconds
// and they are never ahead of or behind the documents.
import type Database from "better-sqlite3";
import type { DocFields } from "./recordFields.ts";

export const COUNTS_SCHEMA = `
CREATE TABLE counts(file INTEGER NOT NULL, dim TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY(file, dim, key)) WITHOUT ROWID;
`;

/** What is counted; `messages` has the one key "". A message without the field counts under the key "". */
export type CountDim = "messages" | "agent" | "recipient" | "tier" | "chain" | "tag" | "topic" | "hour" | "error";

export const COUNT_DIMS: CountDim[] = ["messages", "agent", "recipient", "tier", "chain", "tag", "topic", "hour", "error"];

/** Adds documents' counts in the caller's transaction, and drops a file's. */
export class CountsWriter {
  readonly #add: Database.Statement;
  readonly #drop: Database.Statement;

  constructor(db: Database.Database) {
    this.#add = db.prepare("INSERT INTO counts(file, dim, key, n) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n");
    this.#drop = db.prepare("DELETE FROM counts WHERE file = ?");
  }

  /** One pass over the rows, a map per field (hours by number: no text made per document), then a write per key. */
  add(fileId: number, rows: DocFields[]): void {
    const [agent, recipient, tier, chain, tag, topic, hour, error] = Array.from({ length: 8 }, () => new Map<string | number, number>());
    for (const r of rows) {
      bump(agent, r.agent);
      bump(recipient, r.recipient);
      bump(tier, r.tier ?? "");
      bump(chain, r.chain);
      bump(topic, r.topic);
      bump(hour, Math.floor(r.ts / 3_600_000));
      for (const t of r.tags) bump(tag, t);
      if (r.chain === "error") bump(error, r.agent);
    }
    const messages = new Map(rows.length > 0 ? [["", rows.length]] : []);
    const byDim: [CountDim, Map<string | number, number>][] = [
      ["messages", messages], ["agent", agent], ["recipient", recipient], ["tier", tier], ["chain", chain], ["tag", tag], ["topic", topic], ["hour", hour], ["error", error],
    ];
    for (const [dim, keys] of byDim) for (const [key, n] of keys) this.#add.run(fileId, dim, String(key), n);
  }

  drop(fileId: number): void {
    this.#drop.run(fileId);
  }
}

/**
 * Index schema 6 → 7: the counts of the documents an index already holds, counted once from them (a GROUP BY per
 * field, seconds on a million messages, instead of indexing every session again). Runs in the caller's transaction.
 */
export function countIndexedDocs(db: Database.Database): void {
  db.exec(COUNTS_SCHEMA);
  const byColumn: [CountDim, string, string][] = [
    ["messages", "''", ""], ["agent", "coalesce(agent, '')", ""], ["recipient", "coalesce(recipient, '')", ""],
    ["tier", "coalesce(CAST(tier AS TEXT), '')", ""], ["chain", "coalesce(chain, '')", ""], ["topic", "coalesce(topic, '')", ""],
    ["hour", "CAST(ts / 3600000 AS TEXT)", ""], ["error", "coalesce(agent, '')", "WHERE chain = 'error'"],
  ];
  for (const [dim, key, where] of byColumn) {
    // COLLATE BINARY: the index compares agents and recipients without case, the counts keep each as written.
    db.prepare(`INSERT INTO counts(file, dim, key, n) SELECT file, ?, ${key} COLLATE BINARY AS k, count(*) FROM docs ${where} GROUP BY file, k`).run(dim);
  }
  const add = db.prepare("INSERT INTO counts(file, dim, key, n) VALUES (?, 'tag', ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n");
  const tagged = db.prepare("SELECT file, tags, count(*) AS n FROM docs WHERE tags != '' GROUP BY file, tags").all() as { file: number; tags: string; n: number }[];
  for (const { file, tags, n } of tagged) for (const tag of tags.split(" ")) if (tag) add.run(file, tag, n);
}

/** A file's counts by dimension, largest first, at most `limit` keys each; null when the index has none of it. */
export function readCounts(db: Database.Database, fileId: number, limit: number): Map<CountDim, [string, number][]> | null {
  const query = db.prepare("SELECT key, n FROM counts WHERE file = ? AND dim = ? ORDER BY n DESC, key LIMIT ?").raw();
  const out = new Map<CountDim, [string, number][]>();
  for (const dim of COUNT_DIMS) out.set(dim, query.all(fileId, dim, limit) as [string, number][]);
  return out.get("messages")!.length > 0 ? out : null;
}

function bump(counts: Map<string | number, number>, key: string | number): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
