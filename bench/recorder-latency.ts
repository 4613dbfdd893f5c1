// Publish-to-durable latency at a steady 5,000 messages/s: from the publisher's send time (carried in the payload)
// to the moment the recorder's writer reports the record durable. The publisher runs in its own process.
import fs from "node:fs/promises";
import { readRecorderState } from "../src/control/recorderStatus.ts";
import { benchLogsDir, benchSeq, freeEndpoint, startBenchRecorder, startPublisher, waitUntil } from "./support/recorderRun.ts";
import type { BenchResult } from "./types.ts";

const RATE = 5_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const count = RATE * (quick ? 4 : 20);
  const endpoint = await freeEndpoint();
  const logsDir = await benchLogsDir("latency");
  const latencies: number[] = [];
  let syncP99 = NaN;
  const recorder = await startBenchRecorder(logsDir, endpoint, (recs) => {
    const now = performance.timeOrigin + performance.now();
    for (const r of recs) if (benchSeq(r) !== undefined) latencies.push(now - (r as { payload: { t: number } }).payload.t);
  });
  const pub = startPublisher({ endpoint, count, size: 1024, rate: RATE });
  try {
    await pub.done;
    await waitUntil(() => latencies.length === count, 30_000, "every message to be durable");
    await new Promise((r) => setTimeout(r, 1100)); // the status file, rewritten every second, has the last writes
    syncP99 = (await readRecorderState(logsDir)).status?.sync_ms.p99 ?? NaN;
  } finally {
    pub.stop();
    await recorder.stop();
    await fs.rm(logsDir, { recursive: true, force: true });
  }
  const sorted = latencies.slice(RATE).sort((a, b) => a - b); // the first second warms up connections and the JIT
  const p99 = percentile(sorted, 99);
  return [
    { name: `publish-to-durable p99 at ${RATE} msg/s (1 KB, after 1 s warm-up)`, value: Number(p99.toFixed(2)), unit: "ms",
      // The disk's part: how long the recorder's durable writes took in the same run.
      baseline: { name: "durable write (write + sync) p99, ms", value: syncP99 }, target: "≤ 25 ms", ok: p99 <= 25 },
    { name: `publish-to-durable p50 at ${RATE} msg/s (1 KB)`, value: Number(percentile(sorted, 50).toFixed(2)), unit: "ms" },
  ];
}
