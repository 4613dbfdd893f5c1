// Sustained throughput of 1 KB messages recorded durably, next to (a) a bare zeromq.js subscriber's receive rate and
// (b) the same recorder syncing once per message, all in the same run, the publisher in its own process.
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import { Subscriber } from "zeromq";
import { Capture } from "../src/recorder/capture.ts";
import { Enricher } from "../src/recorder/enrich.ts";
import { MessageRecords } from "../src/recorder/messageRecords.ts";
import { defaultRules } from "../src/recorder/rulesFile.ts";
import { SessionWriter } from "../src/storage/sessionWriter.ts";
import { startCpuMeter, type CpuSpent } from "./support/cpuMeter.ts";
import { benchLogsDir, benchSeq, freeEndpoint, startBenchRecorder, startPublisher, waitUntil } from "./support/recorderRun.ts";
import type { BenchResult } from "./types.ts";

const SIZE = 1024;

interface Run {
  rate: number;
  /** CPU from the first message to the last: this process's per message, and the machine's share busy. */
  cpu: CpuSpent;
}

/** `publisherCpu`: the publisher pinned to that core (see pinnedTo). */
async function bareSubscriberRate(count: number, publisherCpu?: number): Promise<Run> {
  const endpoint = await freeEndpoint();
  const pub = startPublisher({ endpoint, count, size: SIZE, rate: 0, cpu: publisherCpu });
  const sub = new Subscriber({ receiveHighWaterMark: 0 });
  sub.connect(endpoint);
  sub.subscribe();
  await sub.receive();
  const first = performance.now();
  const cpu = startCpuMeter();
  for (let n = 1; n < count; n++) await sub.receive();
  const ms = performance.now() - first;
  const spent = cpu();
  sub.close();
  await pub.done;
  pub.stop();
  return { rate: ((count - 1) / ms) * 1000, cpu: spent };
}

/** Messages per second from the first durable message to the last; `lost` counts numbers never made durable. */
async function recorderRate(count: number, publisherCpu?: number): Promise<Run & { lost: number }> {
  const endpoint = await freeEndpoint();
  const logsDir = await benchLogsDir("throughput");
  const seen = new Uint8Array(count + 1);
  let durable = 0;
  let first = 0;
  let last = 0;
  let cpu: (() => CpuSpent) | undefined;
  let spent: CpuSpent | undefined;
  const recorder = await startBenchRecorder(
    logsDir,
    endpoint,
    (recs) => {
      for (const r of recs) {
        const seq = benchSeq(r);
        if (seq === undefined || seen[seq]) continue;
        seen[seq] = 1;
        durable++;
        last = performance.now();
        if (durable === 1) {
          first = last;
          cpu = startCpuMeter();
        }
        if (durable === count) spent = cpu!();
      }
    },
  );
  const pub = startPublisher({ endpoint, count, size: SIZE, rate: 0, cpu: publisherCpu });
  try {
    await pub.done;
    await waitUntil(() => durable === count, 120_000 + count, "every message to be durable");
  } finally {
    pub.stop();
    await recorder.stop();
    await fs.rm(logsDir, { recursive: true, force: true });
  }
  return { rate: ((count - 1) / (last - first)) * 1000, lost: count - durable, cpu: spent ?? { processMs: NaN, machineBusy: NaN } };
}

/**
 * The same capture, records and writer, but each record written and made durable at once, before the next: one
 * sync per message. A batch of one byte is full, so the writer writes it without waiting for its batching window.
 */
async function syncPerMessageRate(count: number): Promise<number> {
  const endpoint = await freeEndpoint();
  const logsDir = await benchLogsDir("per-message");
  const writer = await SessionWriter.open(logsDir, { maxBatchBytes: 1 });
  const records = new MessageRecords(new Enricher(defaultRules()), 64 << 20);
  let durable = 0;
  let first = 0;
  const capture = new Capture({
    brokers: [endpoint],
    topics: [],
    onEndpoint: () => {},
    onBatch: async (messages, ts) => {
      for (const frames of messages) {
        for (const rec of records.build(frames, ts)) await writer.append(rec);
        if (++durable === 1) first = performance.now();
      }
    },
  });
  capture.start();
  const pub = startPublisher({ endpoint, count, size: SIZE, rate: 0 });
  try {
    await waitUntil(() => durable === count, 120_000, "every message to be durable");
    return ((count - 1) / (performance.now() - first)) * 1000;
  } finally {
    pub.stop();
    await capture.close();
    await writer.close();
    await fs.rm(logsDir, { recursive: true, force: true });
  }
}

/**
 * Runs `measure` with this process (every thread: ZeroMQ's I/O thread too) on core 1 and the publisher on core 0, so
 * the CPU each message costs is the receiver's own, whatever the publisher takes.
 */
async function pinnedTo<T>(measure: (publisherCpu: number) => Promise<T>): Promise<T> {
  const pin = (cpus: string) => execFileSync("taskset", ["-a", "-p", "-c", cpus, String(process.pid)], { stdio: "ignore" });
  pin("1");
  try {
    return await measure(0);
  } finally {
    pin(`0-${os.cpus().length - 1}`);
  }
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const count = quick ? 20_000 : 200_000;
  // Alternating rounds, best of each: other processes on a small machine disturb single runs far more than the
  // difference measured here.
  let bare: Run | undefined;
  let recorder: Run | undefined;
  let lost = 0;
  for (let round = 0; round < 3; round++) {
    const b = await bareSubscriberRate(count);
    if (!bare || b.rate > bare.rate) bare = b;
    const r = await recorderRate(count);
    if (!recorder || r.rate > recorder.rate) recorder = r;
    lost += r.lost;
  }
  const perMessageUs = (run: Run) => (run.cpu.processMs * 1000) / (count - 1);
  const pinned = await pinnedTo(async (cpu) => ({ bare: await bareSubscriberRate(count, cpu), recorder: await recorderRate(count, cpu) }));
  lost += pinned.recorder.lost;
  const perMessage = await syncPerMessageRate(quick ? 1_000 : 5_000);
  return [
    {
      name: `recorder: ${count} × 1 KB messages recorded durably (best of 3)`,
      value: Math.round(recorder!.rate),
      unit: "msg/s",
      baseline: { name: "bare zeromq.js subscriber, receive only", value: Math.round(bare!.rate) },
      target: "≥ 0.9 × baseline, 0 lost",
      ok: recorder!.rate >= 0.9 * bare!.rate && lost === 0,
    },
    {
      name: "recorder: CPU per message, all its threads (in those best rounds)",
      value: perMessageUs(recorder!),
      unit: "µs",
      baseline: { name: "bare subscriber, µs", value: perMessageUs(bare!) },
    },
    {
      name: "recorder: CPU per message, publisher pinned to core 0, recorder to core 1 (taskset; one round)",
      value: perMessageUs(pinned.recorder),
      unit: "µs",
      baseline: { name: "bare subscriber pinned the same way, µs", value: perMessageUs(pinned.bare) },
      target: "≤ 2 × baseline, 0 lost",
      ok: perMessageUs(pinned.recorder) <= 2 * perMessageUs(pinned.bare) && lost === 0,
    },
    {
      name: "machine CPU busy while the bare subscriber received (publisher included)",
      value: Math.round(bare!.cpu.machineBusy * 100),
      unit: "%",
      baseline: { name: "while the recorder recorded, %", value: Math.round(recorder!.cpu.machineBusy * 100) },
    },
    {
      name: "recorder with group commit vs one sync per message",
      value: Math.round(recorder!.rate),
      unit: "msg/s",
      baseline: { name: "recorder writing and syncing each message at once", value: Math.round(perMessage) },
      target: "≥ 15 × baseline",
      ok: recorder!.rate >= 15 * perMessage,
    },
  ];
}
