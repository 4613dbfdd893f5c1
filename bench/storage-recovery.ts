// Crash recovery of a 1 GB session whose last line was torn: only the tail is read, so it takes the same time on any
// size (target ≤ 1 s). Baseline: reading the whole file once, what a recovery that validates every line would cost.
// The torn bytes are appended to the fixture and recovery cuts exactly them, so the fixture is the same afterwards.
import fs from "node:fs/promises";
import path from "node:path";
import { logsPaths } from "../src/storage/logsDir.ts";
import { recoverSessionFile } from "../src/storage/recovery.ts";
import { BENCH_DATA, ensureSessionFile } from "./fixtures.ts";
import type { BenchResult } from "./types.ts";

const RECORDS_PER_MB = 1400;

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const mb = quick ? 10 : 1024;
  const logsDir = path.join(BENCH_DATA, `logs-${mb}mb`);
  const paths = logsPaths(logsDir);
  const file = await ensureSessionFile(paths.current, mb * RECORDS_PER_MB);
  const size = (await fs.stat(file)).size;
  const torn = '{"v":1,"seq":999999999,"ts":"2026-11-24T01:00:00.000Z","kind":"message","topic":"agents.chat","payload":{"text":"cut he';

  await fs.appendFile(file, torn);
  const t0 = performance.now();
  const result = await recoverSessionFile(file, paths.recoveryLog);
  const ms = performance.now() - t0;
  if (result.size !== size || result.cut?.length !== torn.length) throw new Error(`unexpected repair: ${JSON.stringify(result.cut)}`);

  const t1 = performance.now();
  await readWhole(file);
  const readMs = performance.now() - t1;
  return [
    { name: `recovery of a ${mb >= 1024 ? "1 GB" : `${mb} MB`} session with a torn tail`, value: Math.round(ms * 100) / 100, unit: "ms",
      baseline: { name: "read the whole file once, ms", value: Math.round(readMs) }, target: "≤ 1000 ms", ok: quick ? undefined : ms <= 1000 },
  ];
}

async function readWhole(file: string): Promise<void> {
  const fh = await fs.open(file, "r");
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (let pos = 0; ; ) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
