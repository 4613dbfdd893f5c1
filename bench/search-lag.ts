// How far the index trails a live session: the recorder's writer appends 5,000 messages/s while the background
// indexer follows the file; for every batch written, the time until the index covers it. Target ≤ 1 s.
// Baseline, same run: the rate the writer actually achieved (the lag only means something at the asked rate).
import fs from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { indexProgress, startIndexer } from "../src/search/backgroundIndexer.ts";
import { indexPath } from "../src/search/indexStore.ts";
import { SessionWriter } from "../src/storage/sessionWriter.ts";
import { BENCH_DATA } from "./fixtures.ts";
import type { BenchResult } from "./types.ts";

const RATE = 5000;
const TICK_MS = 10;
const WORDS = "deploy review merge latency cache index schema query timeout branch database migration".split(" ");

const message = (i: number) => ({
  kind: "message" as const,
  topic: "agents.chat",
  payload: { sender: "planner", recipient: "reviewer", text: Array.from({ length: 60 }, (_, k) => `${WORDS[(i * 7 + k) % WORDS.length]}${(i + k) % 97}`).join(" ") },
  meta: { agent: "planner", recipient: "reviewer", ace_tier: 3 as const, chain_type: "request" as const, shl_tags: [] },
});

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const seconds = quick ? 3 : 20;
  const dir = path.join(BENCH_DATA, `search-lag-${process.pid}`);
  await fs.rm(dir, { recursive: true, force: true });
  const writer = await SessionWriter.open(dir);
  const indexer = startIndexer(dir, { follow: true });
  let db: Database.Database | null = null;
  try {
    await writer.append(message(0));
    for (const t0 = Date.now(); ; ) {
      const p = await indexProgress(dir);
      if (p.bytesTotal > 0 && p.bytesDone === p.bytesTotal) break;
      if (Date.now() - t0 > 30_000) throw new Error("the indexer did not start");
      await new Promise((r) => setTimeout(r, 20));
    }
    db = new Database(indexPath(dir), { readonly: true });
    const indexedTo = db.prepare("SELECT max(indexed_to) FROM files").pluck();

    // Batches as written: when each became durable, and the file size then.
    const batches: Array<{ at: number; bytes: number; seenAt?: number }> = [];
    let stop = false;
    const sampler = (async () => {
      let next = 0;
      while (!stop || next < batches.length) {
        const done = indexedTo.get() as number;
        const now = performance.now();
        while (next < batches.length && batches[next].bytes <= done) batches[next++].seenAt = now;
        if (stop && now - batches.at(-1)!.at > 10_000) break; // never caught up: reported as missing
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const start = performance.now();
    let sent = 1;
    for (let tick = 1; performance.now() - start < seconds * 1000; tick++) {
      const due = Math.floor(((performance.now() - start) / 1000) * RATE);
      const n = due - sent;
      if (n > 0) {
        await writer.appendMany(Array.from({ length: n }, (_, k) => message(sent + k)));
        sent += n;
        batches.push({ at: performance.now(), bytes: writer.stats().bytes });
      }
      const wait = start + tick * TICK_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const rate = sent / ((performance.now() - start) / 1000);
    stop = true;
    await sampler;

    const lags = batches.map((b) => (b.seenAt === undefined ? Infinity : b.seenAt - b.at)).sort((a, b) => a - b);
    const p95 = lags[Math.floor(lags.length * 0.95)];
    const max = lags.at(-1)!;
    process.stderr.write(`  ${sent} messages in ${seconds} s; index lag p50 ${lags[lags.length >> 1].toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${max.toFixed(0)} ms\n`);
    return [
      {
        name: `search index lag behind a live session at ${RATE.toLocaleString("en-US")} msgs/s (max over ${seconds} s)`,
        value: max,
        unit: "ms",
        baseline: { name: "writer rate achieved (msgs/s)", value: rate },
        target: "≤ 1,000 ms",
        ok: max <= 1000 && rate >= RATE * 0.95,
      },
      { name: "search index lag, p95", value: p95, unit: "ms" },
    ];
  } finally {
    db?.close();
    await indexer.stop();
    await writer.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
