// Known corpus, known answers: every query is asked of the index and of the scan (no index), which must agree.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexOnce } from "../../src/search/indexer.ts";
import { deleteIndex } from "../../src/search/indexStore.ts";
import { QueryError } from "../../src/search/queryParser.ts";
import { search, searchAll, type SearchHit, type SearchScope } from "../../src/search/search.ts";
import { createCheckpoint, snapshotOfFile } from "../../src/storage/checkpoints.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { appendMessages, writeSession, type Msg } from "./corpus.ts";

const CORPUS: Record<string, Msg> = {
  G: { from: "alice", to: "bob", text: "database database database", at: 0.5 },
  A: { from: "alice", to: "bob", text: "Deploy the database migration tonight", at: 1, tier: 2, chain: "request", tags: ["release"] },
  B: { from: "bob", to: "alice", text: "The migration failed with a timeout error", at: 2, tier: 1, chain: "error", tags: ["urgent"] },
  C: { from: "carol", to: "alice", text: "Please review the branch before the merge", at: 3, chain: "response", topic: "agents.review" },
  D: { from: "alice", to: "carol", text: "deployment finished;\nthe database is healthy", at: 4, type: "status" },
  E: { from: "bob", to: "carol", text: "Café au lait for the reviewers", at: 5 },
  F: { from: "carol", to: "bob", text: "merge conflict in the schema file", at: 6, tier: 1, tags: ["urgent"] },
  H1: { from: "dave", text: "identical words about latency", at: 1.5 },
  H2: { from: "dave", text: "identical words about latency", at: 7 },
  I: { from: "erin", text: "the merger was approved", at: 8 },
};
const LABELS = Object.keys(CORPUS);
const MSGS = Object.values(CORPUS);
/** seq of each label: session_started is seq 1. */
const labelOf = (h: SearchHit) => LABELS[h.seq - 2];
const START = Date.now() - 10 * 60_000;

let indexed: string;
let unindexed: string;

// tmpDir() folders go after each test; these two are shared by all tests (read only), so they live until afterAll.
beforeAll(async () => {
  indexed = await fs.mkdtemp(path.join(os.tmpdir(), "shearwater-search-"));
  unindexed = await fs.mkdtemp(path.join(os.tmpdir(), "shearwater-search-"));
  await writeSession(indexed, MSGS, START);
  await writeSession(unindexed, MSGS, START);
  await indexOnce(indexed);
}, 30_000);

afterAll(async () => {
  await Promise.all([indexed, unindexed].map((d) => fs.rm(d, { recursive: true, force: true })));
});

async function both(query: string, scope: SearchScope = "current"): Promise<{ index: SearchHit[]; scan: SearchHit[] }> {
  return {
    index: await searchAll(indexed, query, { scope, limit: 50 }),
    scan: await searchAll(unindexed, query, { scope, limit: 50 }),
  };
}

const sorted = (hits: SearchHit[]) => hits.map(labelOf).sort();

describe.each([
  ["exact word", "database ", ["A", "D", "G"]],
  ["case and accents folded", "CAFE ", ["E"]],
  ["one typo (missing letter)", "databse ", ["A", "D", "G"]],
  ["one typo (swapped letters)", "timoeut ", ["B"]],
  ["two typos in a long word", "mirgaton ", ["A", "B"]],
  ["no typos allowed in short words", "tha ", []],
  ["prefix of the word being typed", "migr", ["A", "B"]],
  ["prefix with a typo while typing", "migar", ["A", "B"]],
  ["a finished word is no prefix", "deploy ", ["A"]],
  ["a word being typed is", "deploy", ["A", "D"]],
  ["all words must match", "migration timeout ", ["B"]],
  ["exact phrase", '"timeout error"', ["B"]],
  ["phrase in the wrong order", '"error timeout"', []],
  ["from:", "from:alice", ["A", "D", "G"]],
  ["to:", "to:carol", ["D", "E"]],
  ["type: (chain type)", "type:error", ["B"]],
  ["type: (payload type)", "type:status", ["D"]],
  ["tier:", "tier:1", ["B", "F"]],
  ["tag:", "tag:urgent", ["B", "F"]],
  ["tag: with #", "tag:#release", ["A"]],
  ["topic: (prefix)", "topic:agents.rev", ["C"]],
  ["since: relative", "since:330s", ["E", "F", "H2", "I"]],
  ["until: ISO", `until:${new Date(START + 1.2 * 60_000).toISOString()}`, ["A", "G"]],
  ["since: and until:", `since:${new Date(START + 1.5 * 60_000).toISOString()} until:${new Date(START + 3 * 60_000).toISOString()}`, ["B", "C", "H1"]],
  ["words and filters", "database from:alice tier:3", ["D", "G"]],
  ["two filters of one field: either", "from:dave from:erin", ["H1", "H2", "I"]],
  ["word and topic prefix", "review topic:AGENTS.rev", ["C"]],
  ["word, recipient and type", "database to:carol type:status", ["D"]],
  ["word and time", "database since:330s", []],
  ["phrase, word and filter", '"merge conflict" schema tag:urgent', ["F"]],
])("%s: %s", (_name, query, expected) => {
  it("the index and the scan find exactly the expected messages", async () => {
    const { index, scan } = await both(query);
    expect(sorted(index)).toEqual([...expected].sort());
    expect(sorted(scan)).toEqual([...expected].sort());
  });
});

describe("ranking", () => {
  it("ranks the more relevant message first", async () => {
    const hits = await searchAll(indexed, "database ");
    expect(labelOf(hits[0])).toBe("G");
  });

  it("ranks the newer of two equally relevant messages first", async () => {
    expect((await searchAll(indexed, "latency ")).map(labelOf)).toEqual(["H2", "H1"]);
  });

  it("ranks messages with the word as typed before those found through a typo", async () => {
    expect((await searchAll(indexed, "merge ")).map(labelOf)).toEqual(["F", "C", "I"]);
  });

  it("returns filter-only results newest first, and keeps to the limit", async () => {
    expect((await searchAll(indexed, "from:alice", { limit: 2 })).map(labelOf)).toEqual(["D", "A"]);
  });
});

describe("results", () => {
  it("carry where the message lives and a snippet with its hits marked as ranges", async () => {
    const [hit] = await searchAll(indexed, '"timeout error"');
    expect(hit).toMatchObject({ session: "20261124T000000Z-test", seq: 4, agent: "bob", recipient: "alice", source: "index" });
    const line = (await fs.readFile(`${indexed}/current_session.jsonl`)).subarray(hit.offset, hit.offset + hit.length);
    expect(JSON.parse(line.toString()).seq).toBe(4);
    expect(hit.snippet.hits.map(([s, e]) => hit.snippet.text.slice(s, e))).toEqual(["timeout", "error"]);
  });

  it("marks typo matches too, and flattens newlines", async () => {
    const [hit] = await searchAll(indexed, "healty ");
    expect(hit.snippet.text).toBe("deployment finished; the database is healthy");
    expect(hit.snippet.hits.map(([s, e]) => hit.snippet.text.slice(s, e))).toEqual(["healthy"]);
  });
});

describe("scopes and the unindexed tail", () => {
  it("searches one checkpoint's prefix only, and every session with all", async () => {
    const dir = await tmpDir();
    const file = await writeSession(dir, MSGS.slice(0, 3), START);
    const cp = await createCheckpoint(dir, await snapshotOfFile(dir), "early");
    await appendMessages(file, [{ from: "zed", text: "database after the checkpoint", at: 9 }], 5, START);
    await indexOnce(dir);
    expect(sorted(await searchAll(dir, "database ", { scope: { checkpoint: cp.id } }))).toEqual(["A", "G"]);
    expect(await searchAll(dir, "database ")).toHaveLength(3);
    // Seal the session by hand (rename, as the recorder does) and start another.
    await fs.rename(file, `${dir}/sessions/20261124T000000Z-test.jsonl`);
    await writeSession(dir, [{ from: "amy", text: "a new database", at: 1 }], START + 3_600_000, "20261124T010000Z-next");
    expect(await searchAll(dir, "database ")).toHaveLength(1);
    expect(await searchAll(dir, "database ", { scope: "all" })).toHaveLength(4);
    expect(sorted(await searchAll(dir, "database ", { scope: { checkpoint: cp.id } }))).toEqual(["A", "G"]);
  });

  it("finds what was appended after indexing by scanning the tail, and reports progress", async () => {
    const dir = await tmpDir();
    const file = await writeSession(dir, MSGS, START);
    await indexOnce(dir);
    await appendMessages(file, [{ from: "zed", text: "fresh database news", at: 9 }], MSGS.length + 2, START);
    const progress: Array<{ indexedBytes: number; scanBytes: number; done: boolean }> = [];
    const hits = await searchAll(dir, "database ", { onProgress: (p) => progress.push(p) });
    expect(hits.map((h) => h.source)).toEqual(["index", "index", "index", "scan"]);
    expect(hits[3].agent).toBe("zed");
    expect(progress[0].indexedBytes).toBeGreaterThan(0);
    expect(progress[0].scanBytes).toBeGreaterThan(0);
    expect(progress.at(-1)!.done).toBe(true);
  });

  it("stops when its signal is aborted", async () => {
    const ac = new AbortController();
    const seen: SearchHit[] = [];
    for await (const h of search(unindexed, "the ", { signal: ac.signal })) {
      seen.push(h);
      ac.abort();
    }
    expect(seen).toHaveLength(1);
  });

  it("rejects a bad query before searching", () => {
    expect(() => search(indexed, 'from:alice "open')).toThrow(QueryError);
  });

  it("scans for words in any letter case, with typos anywhere in them", async () => {
    const dir = await tmpDir();
    const texts = ["MIGRATION BLOCKED", "Migration started", "a migratoin typo", "Imgration at the start", "nothing here"];
    const file = await writeSession(dir, texts.map((text, i) => ({ from: "x", text, at: i })), START);
    for (const q of ["migration ", "migratoin ", "imgration ", "MIGRATION "]) {
      expect((await searchAll(dir, q)).map((h) => h.seq).sort(), q).toEqual([2, 3, 4, 5]);
    }
    // A word too short for a typo, in any letter case (the scan, with no index here, looks for every one of them).
    await appendMessages(file, ["the iOS build", "IOS", "ios or Ios", "iOs!", "bios"].map((text, i) => ({ from: "x", text, at: 10 + i })), 7, START);
    for (const q of ["ios ", "IOS ", "iOS"]) expect((await searchAll(dir, q)).map((h) => h.seq).sort((a, b) => a - b), q).toEqual([7, 8, 9, 10]);
  });

  it("searches with no index at all after the index is deleted", async () => {
    const dir = await tmpDir();
    await writeSession(dir, MSGS, START);
    await indexOnce(dir);
    deleteIndex(dir);
    const hits = await searchAll(dir, "database ");
    expect(hits.map((h) => h.source)).toEqual(["scan", "scan", "scan"]);
  });
});
