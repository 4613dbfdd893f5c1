// An incremental backup of a logs folder whose active session is the 1,000,000-message session, after 10,000 new
// messages (target ≤ 2 s), next to the full first backup of the same folder in the same run.
import fs from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { backupLogs } from "../src/backup/backup.ts";
import { ensureLogsDir } from "../src/storage/logsDir.ts";
import { BENCH_DATA, ensureSessionFile } from "./fixtures.ts";
import type { BenchResult } from "./types.ts";

const NEW_MESSAGES = 10_000;

/** The first `n` message lines of a session file (10,000 lines like the session's own, to append). */
async function messageLines(file: string, n: number): Promise<Buffer> {
  const fh = await fs.open(file, "r");
  try {
    const buf = Buffer.alloc(n * 2048);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let start = buf.indexOf(0x0a) + 1; // after session_started
    let end = start;
    for (let i = 0; i < n; i++) end = buf.indexOf(0x0a, end) + 1;
    if (end <= start || end > bytesRead) throw new Error(`fewer than ${n} lines in ${file}`);
    return buf.subarray(start, end);
  } finally {
    await fh.close();
  }
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const messages = quick ? 20_000 : 1_000_000;
  const source = await ensureSessionFile(path.join(BENCH_DATA, `session-${messages}.jsonl`), messages);
  const dir = path.join(BENCH_DATA, `backup-logs-${messages}`);
  const dest = path.join(BENCH_DATA, `backup-dest-${messages}`);
  await Promise.all([fs.rm(dir, { recursive: true, force: true }), fs.rm(dest, { recursive: true, force: true })]);
  const paths = await ensureLogsDir(dir);
  await fs.copyFile(source, paths.current); // a copy: it grows, and the corpus must not
  try {
    let t0 = performance.now();
    await backupLogs(dir, dest);
    const fullS = (performance.now() - t0) / 1000;
    await fs.appendFile(paths.current, await messageLines(source, NEW_MESSAGES));
    t0 = performance.now();
    const second = await backupLogs(dir, dest);
    const incS = (performance.now() - t0) / 1000;
    const label = `${messages.toLocaleString("en-US")}-message session`;
    return [
      { name: `incremental backup after ${NEW_MESSAGES.toLocaleString("en-US")} new messages, ${label} (${(second.new_bytes / 1e6).toFixed(1)} MB new)`, value: incS, unit: "s",
        baseline: { name: "full first backup of the folder, s", value: fullS }, target: "≤ 2 s", ok: quick ? undefined : incS <= 2 },
    ];
  } finally {
    await Promise.all([fs.rm(dir, { recursive: true, force: true }), fs.rm(dest, { recursive: true, force: true })]);
  }
}
