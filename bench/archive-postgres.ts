// The team archive on a private PostgreSQL server (initdb, as the tests do): push throughput of the 1,000,000-message
// session (target ≥ 50,000 records/s) next to `psql \copy` of the same rows into a table of the same shape and
// indexes; `--follow` lag behind a session written at 5,000 msgs/s (≤ 1 s); search over the archived session with
// typos, top 50 (p95 ≤ 200 ms) next to a plain ILIKE query for the same words. Skipped without PostgreSQL.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { searchArchive } from "../src/archive/archiveSearch.ts";
import { archiveRow } from "../src/archive/archiveRow.ts";
import { openArchive } from "../src/archive/openArchive.ts";
import { copyLine } from "../src/archive/postgres/copyText.ts";
import { push } from "../src/archive/pushLoop.ts";
import { BIN_PATH } from "../src/cli/selfCommand.ts";
import { parseQuery } from "../src/search/queryParser.ts";
import { ensureLogsDir } from "../src/storage/logsDir.ts";
import { streamEntries } from "../src/storage/sessionReader.ts";
import { postgresBinDir, PostgresCluster } from "../test/helpers/postgresCluster.ts";
import { BENCH_DATA } from "./fixtures.ts";
import { benchLogs } from "./search-build.ts";
import { queriesFrom } from "./search-query.ts";
import type { BenchResult } from "./types.ts";

const FOLLOW_RATE = 5_000;

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  if (!postgresBinDir()) {
    process.stderr.write("  skipped: no PostgreSQL server programs under /usr/lib/postgresql/*/bin\n");
    return [];
  }
  const cluster = await PostgresCluster.start();
  try {
    return [...(await pushAndSearch(cluster, quick)), await followLag(cluster, quick)];
  } finally {
    cluster.stop();
  }
}

async function pushAndSearch(cluster: PostgresCluster, quick: boolean): Promise<BenchResult[]> {
  const { dir, file, messages } = await benchLogs(quick);
  const n = messages.toLocaleString("en-US");

  // Baseline: the same rows as COPY text (made beforehand, not timed), loaded by psql into a table of the same shape.
  const copyFile = path.join(cluster.dir, "rows.copy");
  const fh = await fs.open(copyFile, "w", 0o644);
  let chunk = "";
  for await (const e of streamEntries(file)) {
    const row = archiveRow("20261124T010000Z-bench", e);
    if (row) chunk += copyLine("00000000-0000-4000-8000-000000000000", row);
    if (chunk.length > 1 << 22) {
      await fh.write(chunk);
      chunk = "";
    }
  }
  await fh.write(chunk);
  await fh.close();
  const baselineUrl = cluster.createDatabase("baseline");
  await (await openArchive(baselineUrl, "write")).close(); // the archive's schema: same table, same indexes
  let t0 = performance.now();
  cluster.psql(`\\copy shearwater.records (source, session, seq, line_offset, line_length, ts, kind, line, tsv) FROM '${copyFile}'`, "baseline");
  const psqlRate = messages / ((performance.now() - t0) / 1000);

  const url = cluster.createDatabase("archive");
  await fs.rm(path.join(dir, "source.json"), { force: true });
  await (await openArchive(url, "write")).close(); // the schema made beforehand, as for the baseline
  t0 = performance.now();
  await push({ logsDir: dir, url });
  const pushSeconds = (performance.now() - t0) / 1000;
  const pushRate = messages / pushSeconds;
  process.stderr.write(`  push: ${messages} records in ${pushSeconds.toFixed(1)} s; psql \\copy: ${(messages / psqlRate).toFixed(1)} s\n`);

  // Search: typo queries from the archive's own vocabulary, as the local query benchmark asks them.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const terms = (await client.query<{ term: string }>("SELECT term FROM shearwater.terms ORDER BY term")).rows.map((r) => r.term);
  const queries = queriesFrom(terms).map((q) => `${q} `);
  const store = await openArchive(url, "read");
  const times: number[] = [];
  const ilike: number[] = [];
  const search = (q: string) => searchArchive(store, parseQuery(q, Date.now(), { archive: true }), { limit: 50 });
  try {
    // Right after a bulk load the first reads of each row also set its hint bits, and autovacuum is busy with the
    // new rows: one round then, for the record; the figure is the archive's as it runs once that is done (the
    // VACUUM ANALYZE autovacuum would make by itself).
    const cold: number[] = [];
    for (const q of queries) {
      const s = performance.now();
      await search(q);
      cold.push(performance.now() - s);
    }
    cluster.psql("VACUUM ANALYZE shearwater.records", "archive");
    process.stderr.write(`  search right after the push, before VACUUM ANALYZE: p95 ${percentile(cold, 0.95).toFixed(0)} ms\n`);
    await search(queries[0]);
    for (let round = 0; round < 3; round++) {
      for (const q of queries) {
        const query = parseQuery(q, Date.now(), { archive: true });
        let s = performance.now();
        await search(q);
        times.push(performance.now() - s);
        const word = query.words[0]?.term ?? query.phrases[0]?.[0];
        if (!word || round > 0) continue;
        s = performance.now();
        await client.query("SELECT line FROM shearwater.records WHERE line ILIKE $1 ORDER BY ts DESC LIMIT 50", [`%${word}%`]);
        ilike.push(performance.now() - s);
      }
    }
  } finally {
    await store.close();
    await client.end();
  }
  const p95 = percentile(times, 0.95);
  return [
    {
      name: `archive push of the ${n}-message session to PostgreSQL (COPY)`,
      value: pushRate,
      unit: "records/s",
      baseline: { name: "psql \\copy of the same rows, same table and indexes (records/s)", value: psqlRate },
      target: "≥ 50,000 records/s",
      ok: pushRate >= 50_000,
    },
    {
      name: `archive search p95, typos, top 50 (${n} msgs in PostgreSQL, after VACUUM ANALYZE)`,
      value: p95,
      unit: "ms",
      baseline: { name: "plain ILIKE query for the first word, p95 (ms)", value: percentile(ilike, 0.95) },
      target: "≤ 200 ms",
      ok: p95 <= 200,
    },
  ];
}

/** A session written at FOLLOW_RATE by this process while `archive push --follow` ships it; the worst lag seen. */
async function followLag(cluster: PostgresCluster, quick: boolean): Promise<BenchResult> {
  const url = cluster.createDatabase("follow");
  const dir = path.join(BENCH_DATA, "archive-follow");
  await fs.rm(dir, { recursive: true, force: true });
  const current = (await ensureLogsDir(dir)).current;
  const start = Date.now();
  await fs.writeFile(current, `${JSON.stringify({ v: 1, seq: 1, ts: new Date(start).toISOString(), kind: "event", event: "session_started", session: "S-follow" })}\n`, { mode: 0o600 });
  const child = spawn(process.execPath, [BIN_PATH, "archive", "push", "--to", url, "--logs", dir, "--follow"], { stdio: "ignore" });
  const client = new pg.Client({ connectionString: url });
  const seconds = quick ? 5 : 20;
  const writtenAt: number[] = [];
  let seq = 1;
  let worst = 0;
  try {
    await waitUntil(async () => {
      await client.connect().catch(() => {});
      // The first record shipped: the push follows from here (its start-up is not lag).
      return (await client.query("SELECT 1 FROM shearwater.sessions WHERE last_seq >= 1").catch(() => ({ rows: [] }))).rows.length > 0;
    });
    const fh = await fs.open(current, "a");
    const t0 = Date.now();
    while (Date.now() - t0 < seconds * 1000) {
      // Every 10 ms, the messages due by now: FOLLOW_RATE a second.
      const due = Math.floor(((Date.now() - t0) / 1000) * FOLLOW_RATE) - (seq - 1);
      let text = "";
      for (let i = 0; i < due; i++) {
        seq++;
        writtenAt[seq] = Date.now();
        text += `${JSON.stringify({ v: 1, seq, ts: new Date().toISOString(), kind: "message", topic: "bench", payload: { sender: "bench", text: `message ${seq} of the follow benchmark` }, meta: { agent: "bench" } })}\n`;
      }
      if (text) await fh.write(text);
      const held = Number((await client.query("SELECT last_seq FROM shearwater.sessions WHERE session = 'S-follow'")).rows[0]?.last_seq ?? 0);
      // The oldest record not yet archived has waited since it was written.
      if (held < seq) worst = Math.max(worst, Date.now() - writtenAt[held + 1]);
      await new Promise((r) => setTimeout(r, 10));
    }
    await fh.close();
  } finally {
    child.kill("SIGINT");
    await client.end().catch(() => {});
  }
  return {
    name: `archive push --follow lag at ${FOLLOW_RATE.toLocaleString("en-US")} msgs/s (max over ${seconds} s)`,
    value: worst,
    unit: "ms",
    baseline: { name: "messages written (msgs/s)", value: (seq - 1) / seconds },
    target: "≤ 1,000 ms",
    ok: worst <= 1000,
  };
}

async function waitUntil(probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("the follow push never started");
    await new Promise((r) => setTimeout(r, 50));
  }
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}
