// The report's counts from the search index instead of a scan: what the TUI's analytics pane shows at once, before
// the full report — chains, latency, tokens — comes. A whole session's come from the counts the indexer keeps per
// file (indexCounts.ts: a few milliseconds on a million messages); a checkpoint's prefix is counted from the rows,
// one query per figure. Errors are the `error` chain type; "" (no value) is counted as (none).
import type Database from "better-sqlite3";
import { readCounts, type CountDim } from "../search/indexCounts.ts";
import { openIndexForReading } from "../search/indexStore.ts";
import { Counter, MAX_KEYS } from "./counter.ts";
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
 * The same as it comes: a whole session's counts in one step; a prefix's one figure at a time (each step one query,
 * a scan of the session's rows), so the pane draws its first chart after one query and reads keys between them.
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
  const kept = scope.bytes === undefined ? readCounts(db, file.id, MAX_KEYS) : null;
  if (kept) return void (yield fromCounts(db, file.id, kept, scope));
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
  let r = emptyReport(scope, span);
  const byAgent = count("agent");
  yield (r = { ...r, messages_by_agent: byAgent.toObject() });
  yield (r = { ...r, ...errorFigures(byAgent, count("agent", "AND chain = 'error'"), span.n) });
  yield (r = { ...r, messages_by_recipient: count("recipient").toObject() });
  yield (r = { ...r, messages_by_tier: count("tier").toObjectByKey() });
  yield (r = { ...r, messages_by_chain_type: count("chain").toObject() });
  const tags = new Counter();
  for (const [text, n] of count("tags").sorted()) for (const tag of text.split(" ").filter((t) => t && text !== NONE)) tags.add(tag, n);
  yield (r = { ...r, messages_by_tag: tags.toObject() });
  yield (r = { ...r, messages_by_topic: count("topic").toObject() });
  yield { ...r, ...hourFigures(count("ts / 3600000")) };
}

/** A whole file's figures from the counts the indexer keeps: one query per field on a small table. */
function fromCounts(db: Database.Database, fileId: number, kept: Map<CountDim, [string, number][]>, scope: IndexedScope): Report {
  const counter = (dim: CountDim) => {
    const c = new Counter();
    for (const [k, n] of kept.get(dim)!) c.add(k === "" ? NONE : k, n);
    return c;
  };
  // min() and max() one at a time: each is one step down the (file, ts) index.
  const first = (db.prepare("SELECT min(ts) AS t FROM docs WHERE file = ?").get(fileId) as { t: number | null }).t;
  const last = (db.prepare("SELECT max(ts) AS t FROM docs WHERE file = ?").get(fileId) as { t: number | null }).t;
  const messages = kept.get("messages")![0][1];
  const byAgent = counter("agent");
  return {
    ...emptyReport(scope, { first, last, n: messages }),
    messages_by_agent: byAgent.toObject(),
    ...errorFigures(byAgent, counter("error"), messages),
    messages_by_recipient: counter("recipient").toObject(),
    messages_by_tier: counter("tier").toObjectByKey(),
    messages_by_chain_type: counter("chain").toObject(),
    messages_by_tag: counter("tag").toObject(),
    messages_by_topic: counter("topic").toObject(),
    ...hourFigures(counter("hour")),
  };
}

function emptyReport(scope: IndexedScope, span: { first: number | null; last: number | null; n: number }): Report {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    ...new ReportBuilder().finish({ what: scope.what, sessions: scope.session ? [scope.session] : [], since: null, until: null }, defaultPrices()),
    first_ts: iso(span.first), last_ts: iso(span.last), records: span.n, messages: span.n,
  };
}

function errorFigures(byAgent: Counter, errors: Counter, messages: number): Pick<Report, "errors_by_agent" | "error_rate"> {
  const errors_by_agent = Object.fromEntries(byAgent.sorted().map(([a, n]) => [a, { messages: n, errors: errors.get(a), rate: errors.get(a) / n }]));
  const errorCount = Object.values(errors_by_agent).reduce((sum, e) => sum + e.errors, 0);
  return { errors_by_agent, error_rate: messages ? errorCount / messages : 0 };
}

/** Per UTC hour, per hour of the day and the busiest hours, from counts keyed by hours since the epoch. */
function hourFigures(byHourNumber: Counter): Pick<Report, "messages_by_hour" | "messages_by_hour_of_day" | "busiest_hours"> {
  const hour = new Counter();
  const hourOfDay = new Counter();
  for (const [h, n] of byHourNumber.sorted()) {
    const at = new Date(Number(h) * 3_600_000).toISOString();
    hour.add(`${at.slice(0, 13)}:00Z`, n);
    hourOfDay.add(at.slice(11, 13), n);
  }
  return {
    messages_by_hour: hour.toObjectByKey(),
    messages_by_hour_of_day: hourOfDay.toObjectByKey(),
    busiest_hours: hour.sorted().slice(0, 5).map(([h, n]) => ({ hour: h, messages: n })),
  };
}
