// The index as derived data: built by a background worker process, kept up with a growing session, and rebuilt by
// itself when it is deleted, damaged, stale, or its session file was truncated or replaced.
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { indexProgress, startIndexer, type IndexerHandle } from "../../src/search/backgroundIndexer.ts";
import { indexOnce } from "../../src/search/indexer.ts";
import { searchAll } from "../../src/search/search.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { appendMessages, indexFile, writeSession, type Msg } from "./corpus.ts";

const START = Date.now() - 3_600_000;
const msgs = (n: number, word: string, from = 0): Msg[] =>
  Array.from({ length: n }, (_, i) => ({ from: `agent${(from + i) % 3}`, text: `${word} number ${from + i}`, at: (from + i) / 60 }));

const handles: IndexerHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.stop()));
});

async function indexedCount(dir: string, query: string): Promise<number> {
  return (await searchAll(dir, query, { limit: 10_000 })).filter((h) => h.source === "index").length;
}

describe("the background indexer", () => {
  it("builds the index in a worker process, reporting progress, and keeps up as the session grows", async () => {
    const dir = await tmpDir();
    const file = await writeSession(dir, msgs(2000, "alpha"), START);
    const seen: Array<{ bytesDone: number; bytesTotal: number }> = [];
    const h = startIndexer(dir, { follow: true, onProgress: (p) => seen.push(p) });
    handles.push(h);
    await waitFor(async () => (await indexedCount(dir, "alpha ")) === 2000, { what: "the first build" });
    await waitFor(() => seen.some((p) => p.bytesDone === p.bytesTotal && p.bytesTotal > 0), { what: "progress to 100%" });
    // The session keeps growing: each batch is found through the index soon after it is written.
    for (const [round, word] of ["falcon", "walrus", "tundra"].entries()) {
      await appendMessages(file, msgs(100, word), 2002 + round * 100, START);
      await waitFor(async () => (await indexedCount(dir, `${word} `)) === 100, { what: `${word} indexed`, timeoutMs: 5000 });
    }
    const { size } = await fs.stat(file);
    expect(await indexProgress(dir)).toEqual({ bytesDone: size, bytesTotal: size });
  });

  it("holds back a partial last line until it is complete", async () => {
    const dir = await tmpDir();
    const file = await writeSession(dir, msgs(10, "gamma"), START);
    handles.push(startIndexer(dir, { follow: true }));
    await waitFor(async () => (await indexedCount(dir, "gamma ")) === 10);
    const line = JSON.stringify({ v: 1, seq: 12, ts: new Date(START).toISOString(), kind: "message", topic: "t", payload: { text: "delta arrives" }, meta: {} });
    await fs.appendFile(file, line.slice(0, 40));
    await waitFor(async () => (await indexProgress(dir)).bytesDone === (await fs.stat(file)).size - 40, { what: "the complete part" });
    expect(await searchAll(dir, "delta ")).toEqual([]);
    await fs.appendFile(file, `${line.slice(40)}\n`);
    await waitFor(async () => (await indexedCount(dir, "delta ")) === 1, { what: "the completed line" });
  });

  it("rebuilds the index when it is deleted while the worker runs", async () => {
    const dir = await tmpDir();
    const file = await writeSession(dir, msgs(50, "alpha"), START);
    handles.push(startIndexer(dir, { follow: true }));
    await waitFor(async () => (await indexedCount(dir, "alpha ")) === 50);
    await fs.rm(`${dir}/metadata_index`, { recursive: true, force: true });
    await appendMessages(file, msgs(5, "omega"), 52, START);
    await waitFor(async () => (await indexedCount(dir, "alpha ")) === 50 && (await indexedCount(dir, "omega ")) === 5, {
      what: "the rebuilt index",
    });
  });

  it("rebuilds the index deleted at rest, with nothing written to the session to wake it", async () => {
    const dir = await tmpDir();
    await writeSession(dir, msgs(20, "alpha"), START);
    handles.push(startIndexer(dir, { follow: true }));
    await waitFor(async () => (await indexedCount(dir, "alpha ")) === 20);
    await fs.rm(`${dir}/metadata_index`, { recursive: true, force: true });
    await waitFor(async () => (await indexedCount(dir, "alpha ")) === 20, { what: "the rebuilt index", timeoutMs: 5000 });
  });

  it("lets only one worker index a logs folder", async () => {
    const dir = await tmpDir();
    await writeSession(dir, msgs(10, "alpha"), START);
    const first = startIndexer(dir, { follow: true });
    handles.push(first);
    await waitFor(async () => (await indexedCount(dir, "alpha ")) === 10);
    const second = startIndexer(dir);
    handles.push(second);
    await second.exited; // left at once: the folder's worker is busy
    expect(await indexedCount(dir, "alpha ")).toBe(10);
  });

  it("lets its parent go on when a stop is not answered in time, and the worker then leaves by itself", async () => {
    const dir = await tmpDir();
    await writeSession(dir, msgs(10, "alpha"), START);
    const h = startIndexer(dir, { follow: true });
    handles.push(h);
    await waitFor(async () => (await indexedCount(dir, "alpha ")) === 10);
    // A stopped worker answers no signal, as one deep in a long batch answers late.
    const pid = Number(execFileSync("pgrep", ["-f", `indexWorker.js ${dir} follow`], { encoding: "utf8" }).trim());
    process.kill(pid, "SIGSTOP");
    try {
      const began = performance.now();
      await h.stop(300);
      expect(performance.now() - began).toBeLessThan(1_500);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    await h.exited; // the SIGTERM it was sent, and its parent's channel closed, end it once it runs again
  });
});

describe("a damaged, stale or outgrown index", () => {
  it("is replaced when the file is not a database, and searches scan meanwhile", async () => {
    const dir = await tmpDir();
    await writeSession(dir, msgs(30, "alpha"), START);
    await indexOnce(dir);
    await fs.writeFile(indexFile(dir), "this is not an SQLite database at all".repeat(200));
    await fs.rm(`${indexFile(dir)}-wal`, { force: true });
    await fs.rm(`${indexFile(dir)}-shm`, { force: true });
    expect((await searchAll(dir, "alpha ", { limit: 100 })).map((h) => h.source)).toEqual(Array(30).fill("scan"));
    await indexOnce(dir);
    expect(await indexedCount(dir, "alpha ")).toBe(30);
  });

  it("is replaced when the database is cut short", async () => {
    const dir = await tmpDir();
    await writeSession(dir, msgs(3000, "alpha"), START);
    await indexOnce(dir);
    const db = indexFile(dir);
    await fs.rm(`${db}-wal`, { force: true }); // checkpointed on close; make sure only the main file remains
    const { size } = await fs.stat(db);
    await fs.truncate(db, Math.floor(size / 2));
    expect(await searchAll(dir, "alpha ", { limit: 5000 })).toHaveLength(3000);
    await indexOnce(dir);
    expect(await indexedCount(dir, "alpha ")).toBe(3000);
  });

  it("is rebuilt when its schema version is not this program's", async () => {
    const dir = await tmpDir();
    await writeSession(dir, msgs(5, "alpha"), START);
    await indexOnce(dir);
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(indexFile(dir));
    db.prepare("UPDATE meta SET value = '0' WHERE key = 'schema_version'").run();
    db.close();
    expect((await searchAll(dir, "alpha ")).every((h) => h.source === "scan")).toBe(true);
    await indexOnce(dir);
    expect(await indexedCount(dir, "alpha ")).toBe(5);
  });

  it("re-indexes a session file that was truncated, and one that was replaced", async () => {
    const dir = await tmpDir();
    const file = await writeSession(dir, msgs(20, "alpha"), START);
    await indexOnce(dir);
    await writeSession(dir, msgs(5, "beta"), START); // same session id, shorter: truncated and rewritten
    await indexOnce(dir);
    expect(await searchAll(dir, "alpha ")).toEqual([]);
    expect(await indexedCount(dir, "beta ")).toBe(5);
    // Replaced by another, longer file with the same session id (another inode): indexed again from its start.
    const other = await tmpDir();
    await fs.rename(await writeSession(other, msgs(9, "gamma"), START), file);
    await indexOnce(dir);
    expect(await indexedCount(dir, "gamma ")).toBe(9);
    expect(await searchAll(dir, "beta ")).toEqual([]);
  });
});
