// The report's counts from the search index instead of a scan: what the TUI's analytics pane shows at once (a
// million messages in tens of milliseconds), before the full report — chains, latency, tokens — comes. The index
// keeps per message its agent, recipient, tier, chain type, tags, topic and time ("" where a message has none);
// errors are the `error` chain type.
import type Database from "better-sqlite3";
import { openIndexForReading } from "../search/indexStore.ts";
import { Counter } from "./counter.ts";
import { defaultPrices } from "./prices.ts";
import { NONE, type Report } from "./report.ts";
import { ReportBuilder } from "./reportBuilder.ts";

export interface IndexedScope {
  file: string;
  /** A checkpoint is the session file's first `bytes`. */
  bytes?: number;
  what: string;
  session?: string;
}

/** The counts of `scope` as a Report (chains, latency and tokens empty), or null when the file is not indexed. */
export function indexReport(logsDir: string, scope: IndexedScope): Report | null {
  let last: Report | null = null;
  for (const step of indexReportSteps(logsDir, scope)) last = step;
  return last;
}

/**
 * The same one figure at a time: each step runs one query (a scan of the session's rows, about 0.1 s per million)
 * and yields the report so far, so the pane draws its first chart after one query, and keys are read between them.
 * Nothing is yielded when the file is not indexed.
 */
export function* indexReportSteps(logsDir: string, scope: IndexedScope): Generator<Report> {
  const db = openIndexForReading(logsDir);
  if (!db) return;
  try {
    yield* fromIndex(db, scope);
  } finally {
    db.close();
  }
}

function* fromIndex(db: Database.Database, scope: IndexedScope): Generator<Report> {
  const file = db.prepare("SELECT id FROM files WHERE path = ?").get(scope.file) as { id: number } | undefined;
  if (!file) return;
  const upTo = scope.bytes ?? Number.MAX_SAFE_INTEGER;
  // One small GROUP BY per figure: counting by all the columns at once (a temporary B-tree of every combination)
  // takes many times as long as all of them one by one. NOT INDEXED: the rows of one file, read in order, cost less
  // than a look-up per row through the (file, ts) index.
  const count = (column: string, where = "") => {
    const counter = new Counter();
    const rows = db.prepare(`SELECT ${column} AS k, count(*) AS n FROM docs NOT INDEXED WHERE file = ? AND offset < ? ${where} GROUP BY k`).all(file.id, upTo) as { k: string | number | null; n: number }[];
    for (const r of rows) counter.add(r.k === null || r.k === "" ? NONE : String(r.k), r.n);
    return counter;
  };
  // A whole file's span and count come from the (file, ts) index alone; a checkpoint's prefix needs the rows.
  const span = (scope.bytes === undefined
    ? db.prepare("SELECT min(ts) AS first, max(ts) AS last, count(*) AS n FROM docs WHERE file = ?").get(file.id)
    : db.prepare("SELECT min(ts) AS first, max(ts) AS last, count(*) AS n FROM docs NOT INDEXED WHERE file = ? AND offset < ?").get(file.id, upTo)) as
    { first: number | null; last: number | null; n: number };
  const messages = span.n;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  let r: Report = {
    ...new ReportBuilder().finish({ what: scope.what, sessions: scope.session ? [scope.session] : [], since: null, until: null }, defaultPrices()),
    first_ts: iso(span.first), last_ts: iso(span.last), records: messages, messages,
  };
  const byAgent = count("agent").toObject();
  yield (r = { ...r, messages_by_agent: byAgent });
  const errorCounts = count("agent", "AND chain = 'error'");
  const errors = Object.fromEntries(Object.entries(byAgent).map(([a, n]) => [a, { messages: n, errors: errorCounts.get(a), rate: errorCounts.get(a) / n }]));
  const errorCount = Object.values(errors).reduce((sum, e) => sum + e.errors, 0);
  yield (r = { ...r, errors_by_agent: errors, error_rate: messages ? errorCount / messages : 0 });
  yield (r = { ...r, messages_by_recipient: count("recipient").toObject() });
  yield (r = { ...r, messages_by_tier: count("tier").toObjectByKey() });
  yield (r = { ...r, messages_by_chain_type: count("chain").toObject() });
  const tags = new Counter();
  for (const [text, n] of count("tags").sorted()) for (const tag of text.split(" ").filter((t) => t && text !== NONE)) tags.add(tag, n);
  yield (r = { ...r, messages_by_tag: tags.toObject() });
  yield (r = { ...r, messages_by_topic: count("topic").toObject() });
  const hour = new Counter();
  const hourOfDay = new Counter();
  for (const [h, n] of count("ts / 3600000").sorted()) {
    const at = new Date(Number(h) * 3_600_000).toISOString();
    hour.add(`${at.slice(0, 13)}:00Z`, n);
    hourOfDay.add(at.slice(11, 13), n);
  }
  yield {
    ...r,
    messages_by_hour: hour.toObjectByKey(),
    messages_by_hour_of_day: hourOfDay.toObjectByKey(),
    busiest_hours: hour.sorted().slice(0, 5).map(([h, n]) => ({ hour: h, messages: n })),
  };
}
