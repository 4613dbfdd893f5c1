// The first screen of a sealed 1,000,000-message session, compressed, next to the same session plain in the same
// run: the TUI in a real terminal (tmux, 80×24), a checkpoint covering the whole session selected, timed from Enter
// until its newest message is on the screen. Target: compressed ≤ 1.2× plain. Also, in-process, what the viewer
// reads before it draws: the newest lines read backwards, and the line index with the newest rows read through it.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { BIN_PATH } from "../src/cli/selfCommand.ts";
import { writeCompressed } from "../src/compact/blockWriter.ts";
import { SessionReader } from "../src/storage/sessionReader.ts";
import { TmuxTerminal } from "../test/helpers/tmux.ts";
import { BENCH_DATA, ensureSessionFile } from "./fixtures.ts";
import type { BenchResult } from "./types.ts";

const ROWS = 50;
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A logs folder whose only sealed session is `sealed` (linked, not copied) under `name`, with a checkpoint of all of it. */
async function sealedLogs(dir: string, sealed: string, name: string, plain: string, messages: number): Promise<void> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "sessions"), { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.join(dir, "checkpoints"), { mode: 0o700 });
  fs.linkSync(sealed, path.join(dir, "sessions", name));
  const session = name.replace(/\.jsonl.*$/, "");
  const bytes = fs.statSync(plain).size;
  const sha256 = createHash("sha256").update(fs.readFileSync(plain)).digest("hex");
  const cp = { v: 1, id: "20261124T120000000Z_all", label: "all", created_at: "2026-11-24T12:00:00.000Z", session, messages, records: messages + 1, bytes, last_seq: messages + 1, sha256 };
  fs.writeFileSync(path.join(dir, "checkpoints", `${cp.id}.json`), JSON.stringify(cp), { mode: 0o600 });
}

/** Enter on the checkpoint → the newest message on screen, in ms (the TUI started and on the checkpoint list first). */
async function tuiFirstScreen(dir: string, lastText: string): Promise<number> {
  const t = await TmuxTerminal.start([process.execPath, BIN_PATH, "--no-recorder", "--logs", dir]);
  try {
    await t.see("Messages");
    await t.keys("BTab");
    await t.see(/ all$/m);
    await t.keys("Down"); // past the current session's row
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    await t.keys("Enter");
    for (;;) {
      const screen = await t.screen();
      if (screen.includes("checkpoint all") && screen.includes(lastText)) return performance.now() - t0;
      if (performance.now() - t0 > 60_000) throw new Error(`the newest message never showed:\n${screen}`);
    }
  } finally {
    await t.kill();
  }
}

async function inProcess(file: string): Promise<{ tailMs: number; indexedMs: number }> {
  const t0 = performance.now();
  const reader = await SessionReader.open(file);
  try {
    await reader.tail(ROWS);
    const tailMs = performance.now() - t0;
    await reader.buildIndex();
    await reader.readRange(reader.count - ROWS, ROWS);
    return { tailMs, indexedMs: performance.now() - t0 };
  } finally {
    await reader.close();
  }
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const messages = quick ? 20_000 : 1_000_000;
  const plain = await ensureSessionFile(path.join(BENCH_DATA, `session-${messages}.jsonl`), messages);
  const compressed = path.join(BENCH_DATA, `first-screen-${messages}.jsonl.swc`);
  if (!fs.existsSync(compressed)) await writeCompressed(plain, compressed);
  const name = "20261124T010000Z-bench.jsonl";
  const plainDir = path.join(BENCH_DATA, `sealed-plain-${messages}`);
  const compressedDir = path.join(BENCH_DATA, `sealed-compressed-${messages}`);
  await sealedLogs(plainDir, plain, name, plain, messages);
  await sealedLogs(compressedDir, compressed, `${name}.swc`, plain, messages);
  const reader = await SessionReader.open(plain);
  const [last] = await reader.tail(1);
  await reader.close();
  const lastText = (last.record as { payload: { text: string } }).payload.text.slice(0, 20);
  fs.readFileSync(plain);
  fs.readFileSync(compressed); // both in the page cache
  const tui = { plain: [] as number[], compressed: [] as number[] };
  const lib = { plain: [] as Array<{ tailMs: number; indexedMs: number }>, compressed: [] as Array<{ tailMs: number; indexedMs: number }> };
  for (let i = 0; i < RUNS; i++) {
    tui.plain.push(await tuiFirstScreen(plainDir, lastText));
    tui.compressed.push(await tuiFirstScreen(compressedDir, lastText));
    lib.plain.push(await inProcess(plain));
    lib.compressed.push(await inProcess(compressed));
  }
  const [p, c] = [median(tui.plain), median(tui.compressed)];
  const label = `${messages.toLocaleString("en-US")}-message sealed session`;
  const m = (xs: Array<{ tailMs: number; indexedMs: number }>, k: "tailMs" | "indexedMs") => median(xs.map((x) => x[k]));
  return [
    { name: `TUI, checkpoint opened → newest message on screen, compressed ${label} (median of ${RUNS})`, value: c, unit: "ms",
      baseline: { name: "the same session plain, ms", value: p }, target: "≤ 1.2 × plain", ok: quick ? undefined : c <= 1.2 * p },
    { name: `in-process: newest ${ROWS} lines read backwards, compressed`, value: m(lib.compressed, "tailMs"), unit: "ms",
      baseline: { name: "plain, ms", value: m(lib.plain, "tailMs") } },
    { name: `in-process: line index + newest ${ROWS} rows, compressed`, value: m(lib.compressed, "indexedMs"), unit: "ms",
      baseline: { name: "plain, ms", value: m(lib.plain, "indexedMs") } },
  ];
}
