// The analytics pane's first figures come from the search index: a whole session's from the counts the indexer
// keeps as it indexes (kept up to date as the session grows, started again when it is replaced, counted once from
// the documents when an index of schema 6 is upgraded), a checkpoint's from the rows of its prefix; they
// equal the scan's counts of the same messages.
import fs from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { indexReport } from "../../src/report/indexReport.ts";
import { makeReport } from "../../src/report/makeReport.ts";
import type { Report } from "../../src/report/report.ts";
import { startIndexer } from "../../src/search/backgroundIndexer.ts";
import { countIndexedDocs } from "../../src/search/indexCounts.ts";
import { indexPath } from "../../src/search/indexStore.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { KNOWN, writeSession, type MessageSpec } from "./sessions.ts";

const COUNTS = ["messages", "messages_by_agent", "messages_by_recipient", "messages_by_tier", "messages_by_chain_type", "messages_by_tag",
  "messages_by_topic", "messages_by_hour", "messages_by_hour_of_day", "busiest_hours", "first_ts", "last_ts"] as const;

const SESSION = "20261124T100000Z-test";

function expectCountsOf(fromIndex: Report | null, scanned: Report): void {
  expect(fromIndex).not.toBeNull();
  for (const k of COUNTS) expect(fromIndex![k], k).toEqual(scanned[k]);
  for (const [agent, e] of Object.entries(scanned.errors_by_agent)) expect(fromIndex!.errors_by_agent[agent], agent).toEqual(e);
}

/** Each query the figures were read with, as SQLite ran it. */
function queriesOf(logs: string, file: string): string[] {
  const seen: string[] = [];
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    seen.push(sql);
    return prepare.call(this, sql);
  } as typeof prepare;
  try {
    indexReport(logs, { file, what: "the active session", session: SESSION });
  } finally {
    Database.prototype.prepare = prepare;
  }
  return seen;
}

describe("report figures from the index", () => {
  it("a whole session's come from the kept counts, a checkpoint's from its prefix, both equal to the scan's", async () => {
    const logs = path.join(await tmpDir(), "logs");
    const file = await writeSession(logs, KNOWN);
    expect(indexReport(logs, { file, what: "x", session: "s" })).toBeNull(); // no index yet
    await startIndexer(logs).exited;
    expectCountsOf(indexReport(logs, { file, what: "the active session", session: SESSION }), await makeReport(logs));
    expect(queriesOf(logs, file).filter((q) => /FROM docs/.test(q) && !/min\(ts\)|max\(ts\)/.test(q))).toEqual([]); // no scan of the rows

    const firstTwo = (await fs.readFile(file, "utf8")).split("\n").slice(0, 3).join("\n").length + 1;
    const prefix = indexReport(logs, { file, bytes: firstTwo, what: "checkpoint", session: "s" })!;
    expect(prefix.messages).toBe(2);
    expect(prefix.messages_by_agent).toEqual({ a: 1, b: 1 });
  });

  it("keep up with a growing session, and start again for a session replaced under the same name", async () => {
    const logs = path.join(await tmpDir(), "logs");
    const file = await writeSession(logs, KNOWN.slice(0, 5));
    await startIndexer(logs).exited;
    const more: MessageSpec[] = KNOWN.slice(5);
    const all = await writeSession(path.join(logs, "..", "whole"), KNOWN);
    await fs.appendFile(file, (await fs.readFile(all, "utf8")).split("\n").slice(6).join("\n"));
    await startIndexer(logs).exited;
    expect(more.length).toBeGreaterThan(0);
    expectCountsOf(indexReport(logs, { file, what: "the active session", session: SESSION }), await makeReport(logs));

    await fs.rm(file);
    await writeSession(logs, [{ at: 5, meta: { agent: "solo", ace_tier: 1, chain_type: "broadcast" } }]);
    await startIndexer(logs).exited;
    const replaced = indexReport(logs, { file, what: "the active session", session: SESSION })!;
    expect(replaced.messages_by_agent).toEqual({ solo: 1 });
    expectCountsOf(replaced, await makeReport(logs));
  });

  it("an index of schema 6 is given the counts of the documents it holds: the same as the indexer keeps", async () => {
    const logs = path.join(await tmpDir(), "logs");
    await writeSession(logs, [...KNOWN.slice(0, -1), { at: 9500, meta: { agent: "A", recipient: "B", shl_tags: ["Deploy", "x"] } }, KNOWN.at(-1)!]);
    await startIndexer(logs).exited;
    const db = new Database(indexPath(logs));
    try {
      const rows = () => db.prepare("SELECT file, dim, key, n FROM counts ORDER BY file, dim, key").all();
      const kept = rows();
      expect(kept).toContainEqual({ file: 1, dim: "agent", key: "A", n: 1 }); // "A" apart from "a", as written
      expect(kept).toContainEqual({ file: 1, dim: "tag", key: "deploy", n: 3 }); // the index's tags: lower case
      db.exec("DROP TABLE counts"); // what schema 6 lacks
      db.transaction(() => countIndexedDocs(db))();
      expect(rows()).toEqual(kept);
    } finally {
      db.close();
    }
  });
});
