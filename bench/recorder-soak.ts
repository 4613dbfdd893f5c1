// 60 s at 20,000 messages/s (quick: 5 s): nothing lost, and the recorder's memory flat once warmed up (no growth
// after the first 10 s; quick: after 3 s). The publisher runs in its own process; the recorder in this one.
import fs from "node:fs/promises";
import { benchLogsDir, benchSeq, freeEndpoint, startBenchRecorder, startPublisher, waitUntil } from "./support/recorderRun.ts";
import type { BenchResult } from "./types.ts";

const RATE = 20_000;
const MiB = 1024 ** 2;

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const seconds = quick ? 5 : 60;
  const warmup = quick ? 3 : 10;
  const count = RATE * seconds;
  const endpoint = await freeEndpoint();
  const logsDir = await benchLogsDir("soak");
  const seen = new Uint8Array(count + 1);
  let durable = 0;
  const recorder = await startBenchRecorder(logsDir, endpoint, (recs) => {
    for (const r of recs) {
      const seq = benchSeq(r);
      if (seq !== undefined && !seen[seq]) (seen[seq] = 1), durable++;
    }
  });
  const memory: number[] = []; // resident set size, once a second
  const sampler = setInterval(() => memory.push(process.memoryUsage().rss), 1000);
  const pub = startPublisher({ endpoint, count, size: 1024, rate: RATE });
  let published: { sent: number; ms: number };
  try {
    published = await pub.done;
    await waitUntil(() => durable === count, 60_000, "every message to be durable");
  } finally {
    clearInterval(sampler);
    pub.stop();
    await recorder.stop();
    await fs.rm(logsDir, { recursive: true, force: true });
  }
  const base = Math.max(...memory.slice(0, warmup));
  const growth = Math.max(0, Math.max(...memory.slice(warmup)) - base);
  const achieved = (count / published.ms) * 1000;
  return [
    { name: `soak: ${count} messages in ${seconds} s (published at ${Math.round(achieved)} msg/s), lost`, value: count - durable, unit: "messages", target: "0", ok: durable === count },
    {
      name: `soak: memory growth after the first ${warmup} s`,
      value: Number((growth / MiB).toFixed(1)),
      unit: "MiB",
      baseline: { name: `peak RSS in the first ${warmup} s (MiB)`, value: Number((base / MiB).toFixed(1)) },
      target: "≤ 10% of the warm-up peak",
      ok: growth <= base * 0.1,
    },
  ];
}
