// The TUI's first screen of a 1,000,000-message session, whole process as a user sees it: `shearwater --no-recorder`
// started in a real terminal (tmux, 80×24), no key typed (it opens on the live tail), timed from the exec of Node
// until the newest message is on the screen (target ≤ 500 ms), with the CPU time the process had used by then (what
// a busy machine does not inflate), and its memory (RSS) at rest afterwards with the search index present (target
// ≤ 200 MB). Baseline, same run: `node -e 0`, the floor of any whole-process figure on this machine at this moment.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { BIN_PATH } from "../src/cli/selfCommand.ts";
import { SessionReader } from "../src/storage/sessionReader.ts";
import { TmuxTerminal } from "../test/helpers/tmux.ts";
import { benchLogs, ensureIndex } from "./search-build.ts";
import { cpuMsOf } from "./support/procStat.ts";
import type { BenchResult } from "./types.ts";

/** The first 20 characters of the newest message's text: what its row on the screen begins with. */
export async function newestText(file: string): Promise<string> {
  const reader = await SessionReader.open(file);
  const [last] = await reader.tail(1);
  await reader.close();
  return (last.record as { payload: { text: string } }).payload.text.slice(0, 20);
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const { dir, file, messages } = await benchLogs(quick);
  await ensureIndex(dir);
  const lastText = await newestText(file);
  fs.readFileSync(file); // the page cache warm, as for a session in use
  const runs = quick ? 3 : 5;
  const shown: number[] = [];
  const cpu: number[] = [];
  const floor: number[] = [];
  let rssMb = 0;
  for (let i = 0; i < runs; i++) {
    const r = await firstScreen(dir, lastText, i === runs - 1);
    shown.push(r.ms);
    cpu.push(r.cpuMs);
    rssMb = r.rssMb ?? rssMb;
    const t0 = performance.now();
    execFileSync(process.execPath, ["-e", "0"]);
    floor.push(performance.now() - t0);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const ms = median(shown);
  const label = `${messages.toLocaleString("en-US")}-message session`;
  const nodeFloor = { name: "node -e 0 ms (median)", value: Math.round(median(floor)) };
  return [
    { name: `first screen (newest messages), the built program, whole process in tmux, ${label} (median of ${runs})`, value: Math.round(ms), unit: "ms",
      baseline: nodeFloor, target: "≤ 500 ms", ok: quick ? undefined : ms <= 500 },
    { name: `first screen: CPU time the process had used by then (median of ${runs})`, value: Math.round(median(cpu)), unit: "ms", baseline: nodeFloor },
    { name: `TUI memory (RSS) at rest, ${label} open, index present, whole process`, value: Math.round(rssMb), unit: "MB",
      target: "≤ 200 MB", ok: quick ? undefined : rssMb <= 200 },
  ];
}

/** One start of the TUI; with `measureRest`, also its RSS after 5 s at rest on that screen. */
async function firstScreen(dir: string, lastText: string, measureRest: boolean): Promise<{ ms: number; cpuMs: number; rssMb?: number }> {
  // The shell waits for a line, then execs Node: the clock starts at that line, not at tmux's own start.
  const t = await TmuxTerminal.start(["sh", "-c", `read go; exec ${process.execPath} ${BIN_PATH} --no-recorder --logs ${dir}`]);
  try {
    await new Promise((r) => setTimeout(r, 200));
    const pid = Number(await t.info("#{pane_pid}"));
    const t0 = performance.now();
    await t.keys("Enter"); // the shell's line: no key for the TUI, which opens on the live tail
    for (;;) {
      const screen = await t.screen();
      if (screen.includes("Messages —") && screen.includes(lastText)) break;
      if (performance.now() - t0 > 30_000) throw new Error(`the newest message never showed:\n${screen}`);
    }
    const ms = performance.now() - t0;
    const cpuMs = cpuMsOf(pid);
    if (!measureRest) return { ms, cpuMs };
    await new Promise((r) => setTimeout(r, 5000));
    const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
    return { ms, cpuMs, rssMb: (kb * 1024) / 2 ** 20 };
  } finally {
    await t.kill();
  }
}
