// Search with no index: the streaming scan, through the same search() as always, over 1,000,000 messages
// (~750 MB, in the page cache after the first read). Target ≥ 300 MB/s, with the first results shown early.
// Baseline, same run: reading the file in large blocks and doing nothing else (the ceiling for any scan).
import fs from "node:fs/promises";
import path from "node:path";
import { search } from "../src/search/search.ts";
import { ensureLogsDir } from "../src/storage/logsDir.ts";
import { BENCH_DATA } from "./fixtures.ts";
import { benchLogs } from "./search-build.ts";
import type { BenchResult } from "./types.ts";

/** Typical queries: a word with a typo, two words, a phrase, a word and a filter. */
const QUERIES = ["migraton ", "timeout cache ", '"please review"', "deploy from:planner "];

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const { file, messages, bytes } = await benchLogs(quick);
  // A logs folder of its own, with no index: the same session file, hard-linked.
  const dir = path.join(BENCH_DATA, `search-scan-${messages}`);
  const current = (await ensureLogsDir(dir)).current;
  await fs.rm(path.join(dir, "metadata_index"), { recursive: true, force: true });
  if ((await fs.stat(current).catch(() => null))?.ino !== (await fs.stat(file)).ino) {
    await fs.rm(current, { force: true });
    await fs.link(file, current).catch(() => fs.copyFile(file, current));
  }

  let t0 = performance.now();
  const fh = await fs.open(file, "r");
  const buf = Buffer.allocUnsafe(4 << 20);
  for (let pos = 0; pos < bytes; ) pos += (await fh.read(buf, 0, buf.length, pos)).bytesRead || bytes;
  await fh.close();
  const readMbps = bytes / 1e6 / ((performance.now() - t0) / 1000);

  const results: BenchResult[] = [];
  const rates: number[] = [];
  for (const q of QUERIES) {
    let first = NaN;
    let hits = 0;
    t0 = performance.now();
    for await (const _ of search(dir, q, { limit: Number.MAX_SAFE_INTEGER })) {
      if (hits++ === 0) first = performance.now() - t0;
    }
    const seconds = (performance.now() - t0) / 1000;
    const mbps = bytes / 1e6 / seconds;
    rates.push(mbps);
    process.stderr.write(`  ${q.trim()}: ${hits} hits, first after ${first.toFixed(0)} ms, ${seconds.toFixed(2)} s, ${mbps.toFixed(0)} MB/s\n`);
    results.push({
      name: `streaming scan, no index, ${JSON.stringify(q.trim())} (${messages.toLocaleString("en-US")} msgs)`,
      value: mbps,
      unit: "MB/s",
      ...(hits > 0 ? { baseline: { name: "first result after (ms)", value: first } } : {}),
    });
  }
  const sorted = [...rates].sort((a, b) => a - b);
  const median = (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
  results.unshift({
    name: "streaming scan, no index, median over the queries",
    value: median,
    unit: "MB/s",
    baseline: { name: "plain block read (MB/s)", value: readMbps },
    // A quick run's small file is mostly start-up and compilation: the target applies to the full size.
    target: quick ? "—" : "≥ 300 MB/s",
    ok: quick ? undefined : median >= 300,
  });
  return results;
}
