// The TUI at rest with a 1,000,000-message session open: the built program (`shearwater --no-recorder`, dist/) on
// the bench logs folder with its search index present, as a user runs it, in a real 80×24 pseudo-terminal
// (support/ptyFrames.ts), no key typed (it opens on the live tail, following), nothing arriving. Measured once it
// has settled (the newest message on screen, the message list's line index built, the index worker caught up and
// idle): the CPU time of the TUI's whole process (all its threads, from /proc) over one window of 30 s, in % of a
// core (target ≤ 1%), over the same window its index worker's (a child process that follows the sessions for the
// search index), and the frames it drew meanwhile (none: nothing changed). Baseline, same window: a Node process
// doing nothing but a timer a second, the floor of any.
import { spawn } from "node:child_process";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { waitFor } from "../test/helpers/waitFor.ts";
import { benchLogs, ensureIndex } from "./search-build.ts";
import { childrenOf, cpuMsOf } from "./support/procStat.ts";
import { runInTerminal } from "./support/ptyFrames.ts";
import { newestText } from "./tui-first-screen.ts";
import type { BenchResult } from "./types.ts";

/** Settled: a second in which neither process used more than this (2% of a core), three seconds in a row. */
const SETTLED_MS_PER_S = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const { dir, file, messages } = await benchLogs(quick);
  await ensureIndex(dir);
  const lastText = await newestText(file);
  const windowMs = quick ? 6_000 : 30_000;
  const t0 = performance.now();
  const frames = runInTerminal(["--no-recorder", "--logs", dir], { columns: 80, rows: 24 });
  const floor = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  let m: { tui: number; worker: number; floor: number; frames: number; settleMs: number };
  try {
    await frames.until((f) => f.includes("Messages —") && f.includes(lastText) && !/indexing \d+%/.test(f), 120_000);
    const tui = frames.pid();
    const worker = (await waitFor(() => childrenOf(tui).find((c) => c.command.includes("indexWorker")), { what: "the index worker" })).pid;
    await settled([tui, worker]);
    const settleMs = performance.now() - t0;
    const pids = [tui, worker, floor.pid!];
    const [before, w0, drawn0] = [pids.map(cpuMsOf), performance.now(), frames.drawn()];
    await sleep(windowMs);
    const [after, w1, drawn1] = [pids.map(cpuMsOf), performance.now(), frames.drawn()];
    const [tuiPct, workerPct, floorPct] = pids.map((_, i) => ((after[i] - before[i]) / (w1 - w0)) * 100);
    m = { tui: tuiPct, worker: workerPct, floor: floorPct, frames: drawn1 - drawn0, settleMs };
  } finally {
    floor.kill();
    await frames.close();
  }
  const load = os.loadavg().map((n) => n.toFixed(2)).join(" ");
  process.stderr.write(`  settled ${(m.settleMs / 1000).toFixed(1)} s after its start; load average ${load}\n`);
  const label = `${messages.toLocaleString("en-US")}-message session open, index present`;
  const how = `one window of ${windowMs / 1000} s after it settled`;
  const floorRow = { name: "idle node, a timer a second %", value: Number(m.floor.toFixed(2)) };
  return [
    { name: `CPU at rest, the TUI's whole process (the built program in an 80×24 terminal, live tail on, nothing arriving), ${label} (${how})`,
      value: Number(m.tui.toFixed(2)), unit: "% of a core", baseline: floorRow, target: "≤ 1%", ok: quick ? undefined : m.tui <= 1 },
    { name: `CPU at rest, its index worker (a child process following the sessions), same window`, value: Number(m.worker.toFixed(2)), unit: "% of a core", baseline: floorRow },
    { name: "frames the TUI drew at rest, same window", value: m.frames, unit: "frames", target: "0", ok: quick ? undefined : m.frames === 0 },
  ];
}

/** Waits until each process used at most SETTLED_MS_PER_S in a second, three seconds in a row (at most a minute). */
async function settled(pids: number[]): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (let quiet = 0; quiet < 3 && performance.now() < deadline; ) {
    const before = pids.map(cpuMsOf);
    await sleep(1000);
    quiet = pids.every((pid, i) => cpuMsOf(pid) - before[i] <= SETTLED_MS_PER_S) ? quiet + 1 : 0;
  }
}
