// Taking a checkpoint of a 10 MB and a 1 GB session while a writer has the session open: a named offset plus the
// writer's running hash, so its cost does not grow with the session (target ≤ 50 ms, ≤ 64 KB of new disk on both).
// Baseline: copying the session file, what a checkpoint that copies would cost.
import fs from "node:fs/promises";
import path from "node:path";
import { createCheckpoint } from "../src/storage/checkpoints.ts";
import { SessionWriter } from "../src/storage/sessionWriter.ts";
import { BENCH_DATA, ensureSessionFile } from "./fixtures.ts";
import type { BenchResult } from "./types.ts";

/** Fixture records are about 750 bytes. */
const RECORDS_PER_MB = 1400;

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const sizes = quick ? [1, 10] : [10, 1024];
  const results: BenchResult[] = [];
  for (const mb of sizes) results.push(...(await measure(mb, !quick)));
  return results;
}

async function measure(mb: number, full: boolean): Promise<BenchResult[]> {
  const logsDir = path.join(BENCH_DATA, `logs-${mb}mb`);
  const session = await ensureSessionFile(path.join(logsDir, "current_session.jsonl"), mb * RECORDS_PER_MB);
  const writer = await SessionWriter.open(logsDir);
  await writer.snapshot(); // once per open: the running hash catches up with the bytes already there
  const made: string[] = [];
  try {
    const times: number[] = [];
    let disk = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const cp = await createCheckpoint(logsDir, await writer.snapshot(), `bench ${i}`);
      times.push(performance.now() - t0);
      made.push(cp.file);
      disk = Math.max(disk, (await fs.stat(cp.file)).blocks * 512);
    }
    const ms = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    const copy = `${session}.copy`;
    const t0 = performance.now();
    await fs.copyFile(session, copy);
    const copyMs = performance.now() - t0;
    const copyDisk = (await fs.stat(copy)).blocks * 512;
    await fs.rm(copy);
    const size = `${(await fs.stat(session)).size >= 1 << 30 ? "1 GB" : `${mb} MB`} session`;
    return [
      { name: `checkpoint of a ${size} (median of 5)`, value: round(ms), unit: "ms", baseline: { name: "copy the session, ms", value: round(copyMs) },
        target: "≤ 50 ms", ok: full ? ms <= 50 : undefined },
      { name: `checkpoint of a ${size}: new disk`, value: disk / 1024, unit: "KB", baseline: { name: "copy, KB", value: Math.round(copyDisk / 1024) },
        target: "≤ 64 KB", ok: full ? disk <= 64 * 1024 : undefined },
    ];
  } finally {
    await writer.close();
    await Promise.all(made.map((f) => fs.rm(f, { force: true }))); // benchmark leftovers, not anyone's checkpoints
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
