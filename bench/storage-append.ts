// Durable appends of 1 KB records: the session writer's group commit (many records per fdatasync) against the same
// writer made to sync once per record (each append awaited before the next). Target ≥ 200,000 records/s and ≥ 50×.
import fs from "node:fs/promises";
import path from "node:path";
import { SessionWriter } from "../src/storage/sessionWriter.ts";
import { BENCH_DATA } from "./fixtures.ts";
import type { BenchResult } from "./types.ts";

const TEXT = "lorem ipsum dolor sit amet ".repeat(33);
/** A message record whose line in the file is about 1 KB. */
const record = (i: number) => ({
  kind: "message" as const,
  topic: "agents.chat",
  payload: { sender: "planner", recipient: "reviewer", n: i, text: TEXT },
  meta: { agent: "planner", ace_tier: 3 as const, chain_type: "request" as const, shl_tags: [] },
});
/** Records not yet durable at once (a few batches' worth). */
const IN_FLIGHT = 4_000;
/** Records handed over together, as the recorder hands over what one turn of its receive loop brought. */
const GROUP = 500;

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const grouped = quick ? 20_000 : 300_000;
  const single = quick ? 300 : 3_000;
  const dir = path.join(BENCH_DATA, `append-${process.pid}`);
  await fs.rm(dir, { recursive: true, force: true });
  try {
    const writer = await SessionWriter.open(dir);
    const lineBytes = Buffer.byteLength(JSON.stringify({ v: 1, seq: 1, ts: new Date().toISOString(), ...record(0) })) + 1;

    let t0 = performance.now();
    for (let i = 0; i < single; i++) await writer.append(record(i));
    const singleRate = single / ((performance.now() - t0) / 1000);

    const syncsBefore = writer.stats().syncs;
    t0 = performance.now();
    // Like the recorder's receive loop: append groups without waiting, with at most IN_FLIGHT records not yet
    // durable. Records become durable in seq order, so waiting for one group waits for all before it.
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < grouped; i += GROUP) {
      pending.push(writer.appendMany(Array.from({ length: Math.min(GROUP, grouped - i) }, (_, k) => record(i + k))));
      if (pending.length > IN_FLIGHT / GROUP) await pending.shift();
    }
    await Promise.all(pending);
    const groupRate = grouped / ((performance.now() - t0) / 1000);
    const stats = writer.stats();
    await writer.close();
    if (stats.dropped > 0 || stats.lastSeq !== single + grouped + 1) throw new Error(`records lost: ${JSON.stringify(stats)}`);

    const ratio = groupRate / singleRate;
    return [
      { name: `durable appends, group commit (${lineBytes} B records)`, value: Math.round(groupRate), unit: "records/s",
        baseline: { name: "one fdatasync per record", value: Math.round(singleRate) }, target: "≥ 200000 records/s",
        ok: quick ? undefined : groupRate >= 200_000 },
      { name: "group commit speed-up", value: Math.round(ratio * 10) / 10, unit: "×", target: "≥ 50×", ok: quick ? undefined : ratio >= 50 },
      { name: "records per fdatasync (group commit)", value: Math.round(grouped / (stats.syncs - syncsBefore)), unit: "records",
        baseline: { name: "one per record", value: 1 } },
      { name: "durable write (write + sync) latency p99 (last minute)", value: stats.syncMs.p99, unit: "ms", baseline: { name: "p50", value: stats.syncMs.p50 } },
    ];
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

