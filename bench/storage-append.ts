// Durable appends of 1 KB records: the session writer's group commit (many records per durable write) against the
// plain way of making each record durable, one O_DSYNC write of its 1 KB per record with nothing else done (the
// writer's own one-at-a-time path would also wait for its batching window). Target ≥ 200,000 records/s and ≥ 50×.
// The records are the recorder's: a message whose payload comes with its JSON text as received (the bytes a ZeroMQ
// frame brought), so the writer copies that text rather than serializing the payload. Records whose payload must be
// serialized (JSON.stringify of the whole record) are measured too, for comparison.
import fs from "node:fs";
import path from "node:path";
import { PAYLOAD_JSON, type AppendRecord } from "../src/storage/recordJson.ts";
import { DSYNC, SessionWriter } from "../src/storage/sessionWriter.ts";
import { BENCH_DATA } from "./fixtures.ts";
import type { BenchResult } from "./types.ts";

const META = { agent: "planner", ace_tier: 3 as const, chain_type: "request" as const, shl_tags: [] };
const payloadOf = (n: number, text: string) => ({ sender: "planner", recipient: "reviewer", n, text });
/** The target speaks of 1 KB records: a record's line, newline included, is 1,024 bytes (give or take a digit). */
const LINE_BYTES = 1024;
const lineBytesWith = (text: string) =>
  Buffer.byteLength(JSON.stringify({ v: 1, seq: 100_000, ts: new Date().toISOString(), kind: "message", topic: "agents.chat", meta: META, payload: payloadOf(500, text) })) + 1;
const TEXT = "lorem ipsum dolor sit amet ".repeat(40).slice(0, LINE_BYTES - lineBytesWith(""));
/** Distinct payloads, as received: parsed, and their JSON text in UTF-8. */
const PAYLOADS = Array.from({ length: 1_000 }, (_, n) => {
  const payload = payloadOf(n, TEXT);
  return { payload, json: Buffer.from(JSON.stringify(payload)) };
});
/** A message record as the recorder appends it. */
const received = (i: number): AppendRecord => {
  const { payload, json } = PAYLOADS[i % PAYLOADS.length];
  return { kind: "message", topic: "agents.chat", payload, [PAYLOAD_JSON]: json, meta: META };
};
/** The same record without its JSON text: the writer serializes the payload. */
const serialized = (i: number): AppendRecord => ({ kind: "message", topic: "agents.chat", payload: PAYLOADS[i % PAYLOADS.length].payload, meta: META });
/** Records not yet durable at once (a few batches' worth). */
const IN_FLIGHT = 4_000;
const ROUNDS = 3;
/** Records handed over together, as the recorder hands over what one turn of its receive loop brought. */
const GROUP = 500;

/** Group commit, like the recorder's receive loop: groups appended without waiting, at most IN_FLIGHT records not yet
 * durable. Records become durable in seq order, so waiting for one group waits for all before it. Records/s. */
async function groupedRate(writer: SessionWriter, count: number, record: (i: number) => AppendRecord): Promise<number> {
  const t0 = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += GROUP) {
    pending.push(writer.appendMany(Array.from({ length: Math.min(GROUP, count - i) }, (_, k) => record(i + k))));
    if (pending.length > IN_FLIGHT / GROUP) await pending.shift();
  }
  await Promise.all(pending);
  return count / ((performance.now() - t0) / 1000);
}

/**
 * The disk alone, as the records' bytes/s: `bytes` written to a new file in writes of `writeSize` bytes, each made
 * durable as the writer makes its writes durable (DSYNC), with nothing else to do in between.
 */
async function diskRate(file: string, bytes: number, writeSize: number, lineBytes: number): Promise<number> {
  const fh = await fs.promises.open(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | DSYNC);
  try {
    const buf = Buffer.alloc(writeSize, "x");
    const t0 = performance.now();
    for (let pos = 0; pos < bytes; pos += writeSize) {
      await fh.write(buf, 0, writeSize, pos);
      if (!DSYNC) await fh.datasync();
    }
    return bytes / lineBytes / ((performance.now() - t0) / 1000);
  } finally {
    await fh.close();
    await fs.promises.rm(file);
  }
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const grouped = quick ? 20_000 : 300_000;
  const single = quick ? 300 : 3_000;
  const dir = path.join(BENCH_DATA, `append-${process.pid}`);
  await fs.promises.rm(dir, { recursive: true, force: true });
  try {
    const writer = await SessionWriter.open(dir);

    const singleRate = await diskRate(path.join(dir, "one-write-per-record"), single * LINE_BYTES, LINE_BYTES, LINE_BYTES);

    // Best of ROUNDS, alternating with the disk alone writing the same bytes in writes as large as the writer's:
    // the disk is shared with other machines' work, which disturbs single runs far more than what is measured here.
    let groupRate = 0;
    let disk = 0;
    let syncs = 0;
    let lineBytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const before = writer.stats();
      groupRate = Math.max(groupRate, await groupedRate(writer, grouped, received));
      const after = writer.stats();
      syncs = after.syncs - before.syncs;
      const bytes = after.bytes - before.bytes;
      lineBytes = bytes / grouped;
      disk = Math.max(disk, await diskRate(path.join(dir, "disk-alone"), bytes, Math.round(bytes / syncs), lineBytes));
    }
    const serializedRate = await groupedRate(writer, grouped, serialized);
    const stats = writer.stats();
    await writer.close();
    if (stats.dropped > 0 || stats.lastSeq !== (ROUNDS + 1) * grouped + 1) throw new Error(`records lost: ${JSON.stringify(stats)}`);

    const ratio = groupRate / singleRate;
    return [
      { name: `durable appends, group commit (${Math.round(lineBytes)} B records, payload text as received, best of ${ROUNDS})`, value: Math.round(groupRate), unit: "records/s",
        baseline: { name: "one O_DSYNC write per 1 KB record (best of 1)", value: Math.round(singleRate) }, target: "≥ 200000 records/s",
        ok: quick ? undefined : groupRate >= 200_000 },
      { name: "group commit speed-up over one O_DSYNC write per record", value: Math.round(ratio * 10) / 10, unit: "×", target: "≥ 50×", ok: quick ? undefined : ratio >= 50 },
      { name: "durable appends, group commit, against the disk alone", value: Math.round(groupRate), unit: "records/s",
        baseline: { name: "the same bytes in synced writes as large, nothing else done (records/s)", value: Math.round(disk) } },
      { name: "durable appends, group commit, payload serialized by the writer (JSON.stringify)", value: Math.round(serializedRate),
        unit: "records/s", baseline: { name: "payload text as received", value: Math.round(groupRate) } },
      { name: "records per fdatasync (group commit)", value: Math.round(grouped / syncs), unit: "records",
        baseline: { name: "one per record", value: 1 } },
      { name: "durable write (write + sync) latency p99 (last minute)", value: stats.syncMs.p99, unit: "ms", baseline: { name: "p50", value: stats.syncMs.p50 } },
    ];
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
