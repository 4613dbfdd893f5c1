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
  const db = openIndexForReading(logsDir);
  if (!db) return null;
  try {
    return fromIndex(db, scope);
  } finally {
    db.close();
  }
}

function fromIndex(db: Database.Database, scope: IndexedScope): Report | null {
  const file = db.prepare("SELECT id FROM files WHERE path = ?").get(scope.file) as { id: number } | undefined;
  if (!file) return null;
  const upTo = scope.bytes ?? Number.MAX_SAFE_INTEGER;
  // One small GROUP BY per figure: SQLite counts a million rows by one column in tens of milliseconds, by all of
  // them at once (a temporary B-tree of every combination) in seconds.
  const count = (column: string, where = "") => {
    const counter = new Counter();
    const rows = db.prepare(`SELECT ${column} AS k, count(*) AS n FROM docs NOT INDEXED WHERE file = ? AND offset < ? ${where} GROUP BY k`).all(file.id, upTo) as { k: string | number | null; n: number }[];
    for (const r of rows) counter.add(r.k === null || r.k === "" ? NONE : String(r.k), r.n);
    return counter;
  };
  const c = { agent: count("agent"), recipient: count("recipient"), tier: count("tier"), chain: count("chain"), topic: count("topic"), errors: count("agent", "AND chain = 'error'") };
  const tags = new Counter();
  for (const [text, n] of count("tags").sorted()) for (const tag of text.split(" ").filter((t) => t && text !== NONE)) tags.add(tag, n);
  const hour = new Counter();
  const hourOfDay = new Counter();
  for (const [h, n] of count("ts / 3600000").sorted()) {
    const iso = new Date(Number(h) * 3_600_000).toISOString();
    hour.add(`${iso.slice(0, 13)}:00Z`, n);
    hourOfDay.add(iso.slice(11, 13), n);
  }
  const span = db.prepare("SELECT min(ts) AS first, max(ts) AS last, count(*) AS n FROM docs NOT INDEXED WHERE file = ? AND offset < ?")
    .get(file.id, upTo) as { first: number | null; last: number | null; n: number };
  const messages = span.n;
  const empty = new ReportBuilder().finish({ what: scope.what, sessions: scope.session ? [scope.session] : [], since: null, until: null }, defaultPrices());
  const byAgent = c.agent.toObject();
  const errors = Object.fromEntries(Object.entries(byAgent).map(([a, n]) => [a, { messages: n, errors: c.errors.get(a), rate: c.errors.get(a) / n }]));
  const errorCount = Object.values(errors).reduce((s, e) => s + e.errors, 0);
  return {
    ...empty,
    first_ts: span.first === null ? null : new Date(span.first).toISOString(),
    last_ts: span.last === null ? null : new Date(span.last).toISOString(),
    records: messages,
    messages,
    messages_by_agent: byAgent,
    messages_by_recipient: c.recipient.toObject(),
    messages_by_tier: c.tier.toObjectByKey(),
    messages_by_chain_type: c.chain.toObject(),
    messages_by_tag: tags.toObject(),
    messages_by_topic: c.topic.toObject(),
    messages_by_hour: hour.toObjectByKey(),
    messages_by_hour_of_day: hourOfDay.toObjectByKey(),
    busiest_hours: hour.sorted().slice(0, 5).map(([hour, n]) => ({ hour, messages: n })),
    errors_by_agent: errors,
    error_rate: messages ? errorCount / messages : 0,
  };
}
