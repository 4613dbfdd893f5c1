// Building the search index from scratch in the background worker, with progress: target ≤ 60 s for 1,000,000
// messages (~750 MB). Baseline, same run: only reading and parsing every record (streamEntries), the part of the
// work that does not depend on the index.
import fs from "node:fs/promises";
import path from "node:path";
import { isMessage } from "../src/record.ts";
import { indexProgress, startIndexer } from "../src/search/backgroundIndexer.ts";
import { deleteIndex, indexPath } from "../src/search/indexStore.ts";
import { ensureLogsDir } from "../src/storage/logsDir.ts";
import { streamEntries } from "../src/storage/sessionReader.ts";
import { BENCH_DATA, ensureSessionFile } from "./fixtures.ts";
import type { BenchResult } from "./types.ts";

/** A logs folder whose active session is the generated fixture (hard-linked: nothing copied). Shared by search-*. */
export async function benchLogs(quick: boolean): Promise<{ dir: string; file: string; messages: number; bytes: number }> {
  const messages = quick ? 20_000 : 1_000_000;
  const source = await ensureSessionFile(path.join(BENCH_DATA, `session-${messages}.jsonl`), messages);
  const dir = path.join(BENCH_DATA, `search-${messages}`);
  const file = (await ensureLogsDir(dir)).current;
  const [a, b] = await Promise.all([fs.stat(source), fs.stat(file).catch(() => null)]);
  if (!b || a.ino !== b.ino) {
    await fs.rm(file, { force: true });
    await fs.link(source, file).catch(() => fs.copyFile(source, file));
  }
  return { dir, file, messages, bytes: a.size };
}

/** Builds the index if it does not cover the whole session (the query benchmark wants it warm). */
export async function ensureIndex(dir: string): Promise<void> {
  const p = await indexProgress(dir);
  if (p.bytesDone < p.bytesTotal) await startIndexer(dir).exited;
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const { dir, file, messages, bytes } = await benchLogs(quick);

  let t0 = performance.now();
  let parsed = 0;
  for await (const e of streamEntries(file)) if (e.record && isMessage(e.record)) parsed++;
  const parseSeconds = (performance.now() - t0) / 1000;

  deleteIndex(dir);
  const updates: number[] = [];
  t0 = performance.now();
  await startIndexer(dir, { onProgress: (p) => updates.push(p.bytesDone / p.bytesTotal) }).exited;
  const buildSeconds = (performance.now() - t0) / 1000;
  const done = await indexProgress(dir);
  const indexMb = (await fs.stat(indexPath(dir))).size / 1e6;
  const complete = done.bytesDone === done.bytesTotal && parsed === messages - 1;
  process.stderr.write(
    `  ${messages.toLocaleString("en-US")} messages, ${(bytes / 1e6).toFixed(0)} MB: built in ${buildSeconds.toFixed(1)} s, ` +
      `${updates.length} progress reports, index ${indexMb.toFixed(0)} MB\n`,
  );
  return [
    {
      name: `search index build from scratch (${messages.toLocaleString("en-US")} msgs, background worker)`,
      value: buildSeconds,
      unit: "s",
      baseline: { name: "read + parse only (s)", value: parseSeconds },
      target: quick ? "—" : "≤ 60 s",
      ok: complete && updates.length > 1 && (quick || buildSeconds <= 60),
    },
    { name: "search index size on disk", value: indexMb, unit: "MB", baseline: { name: "session (MB)", value: bytes / 1e6 } },
  ];
}
