// `shearwater report --json` on the 1,000,000-message session, whole process: its time (target ≤ 5 s) and peak
// memory (target ≤ 150 MB), next to a plain read + parse of the session; and the TUI's analytics pane opening on it
// (A pressed → the first chart on screen, in tmux; target ≤ 1 s), which it does from the search index, not a scan.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { BIN_PATH } from "../src/cli/selfCommand.ts";
import { streamEntries } from "../src/storage/sessionReader.ts";
import { TmuxTerminal } from "../test/helpers/tmux.ts";
import { benchLogs, ensureIndex } from "./search-build.ts";
import type { BenchResult } from "./types.ts";

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const { dir, file, messages } = await benchLogs(quick);
  await ensureIndex(dir);
  fs.readFileSync(file); // the page cache warm, so both figures read from memory alike
  const t0 = performance.now();
  let parsed = 0;
  for await (const e of streamEntries(file)) if (e.record) parsed++;
  if (parsed === 0) throw new Error(`nothing parsed in ${file}`);
  const parseMs = performance.now() - t0;

  const report = await reportProcess(dir);
  const opens: number[] = [];
  for (let i = 0; i < 3; i++) opens.push(await paneOpens(dir));
  const openMs = opens.sort((a, b) => a - b)[1];
  const label = `${messages.toLocaleString("en-US")}-message session`;
  return [
    { name: `report --json, whole process, ${label}`, value: Math.round(report.ms), unit: "ms",
      baseline: { name: "read + parse every line, in process (ms)", value: Math.round(parseMs) }, target: "≤ 5000 ms", ok: quick ? undefined : report.ms <= 5000 },
    { name: `report --json peak memory (RSS), ${label}`, value: Math.round(report.peakMb), unit: "MB", target: "≤ 150 MB", ok: quick ? undefined : report.peakMb <= 150 },
    { name: `analytics pane: A → first chart on screen, ${label}, index present (median of 3)`, value: Math.round(openMs), unit: "ms", target: "≤ 1000 ms", ok: quick ? undefined : openMs <= 1000 },
  ];
}

/** Runs the report as a user does; peak RSS from the child's own high-water mark, sampled until it exits. */
async function reportProcess(dir: string): Promise<{ ms: number; peakMb: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN_PATH, "report", "--json", "--logs", dir], { stdio: ["ignore", "ignore", "inherit"] });
  let peakKb = 0;
  const sample = setInterval(() => {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readOrEmpty(`/proc/${child.pid}/status`));
    if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearInterval(sample);
  if (code !== 0) throw new Error(`report --json exited ${code}`);
  return { ms: performance.now() - t0, peakMb: peakKb / 1024 };
}

async function paneOpens(dir: string): Promise<number> {
  const t = await TmuxTerminal.start([process.execPath, BIN_PATH, "--no-recorder", "--no-mouse", "--logs", dir], { columns: 100, rows: 40 });
  try {
    await t.see("Messages —", 30_000);
    const t0 = performance.now();
    await t.keys("A");
    for (;;) {
      const screen = await t.screen();
      if (/Messages by agent \(messages\)\n {2}\S+ +█/.test(screen)) return performance.now() - t0;
      if (performance.now() - t0 > 30_000) throw new Error(`the analytics pane never showed its charts:\n${screen}`);
    }
  } finally {
    await t.kill();
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
