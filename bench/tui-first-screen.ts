// The TUI's first screen of a 1,000,000-message session, whole process as a user sees it: `shearwater --no-recorder`
// started in a real terminal (tmux, 80×24), no key typed (it opens on the live tail), timed from the exec of Node
// until the newest message is on the screen (target ≤ 500 ms), and its memory (RSS) at rest afterwards with the search
// index present (target ≤ 200 MB). Baseline: reading the whole session file, what a viewer without an index-free tail would do first.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { BIN_PATH } from "../src/cli/selfCommand.ts";
import { SessionReader } from "../src/storage/sessionReader.ts";
import { TmuxTerminal } from "../test/helpers/tmux.ts";
import { BENCH_DATA, ensureSessionFile } from "./fixtures.ts";
import { benchLogs, ensureIndex } from "./search-build.ts";
import type { BenchResult } from "./types.ts";

/** A logs folder whose current session is the bench session (hard-linked: nothing copied), with no index. */
export async function benchLogsDir(records: number): Promise<{ dir: string; lastText: string }> {
  const file = await ensureSessionFile(path.join(BENCH_DATA, `session-${records}.jsonl`), records);
  const dir = path.join(BENCH_DATA, `tui-logs-${records}`);
  const current = path.join(dir, "current_session.jsonl");
  const [a, b] = await Promise.all([fs.promises.stat(file), fs.promises.stat(current).catch(() => null)]);
  if (b?.ino !== a.ino) {
    await fs.promises.rm(dir, { recursive: true, force: true });
    await fs.promises.mkdir(path.join(dir, "checkpoints"), { recursive: true });
    await fs.promises.link(file, current).catch(() => fs.promises.copyFile(file, current));
  }
  return { dir, lastText: await newestText(current) };
}

/** The first 20 characters of the newest message's text: what its row on the screen begins with. */
async function newestText(file: string): Promise<string> {
  const reader = await SessionReader.open(file);
  const [last] = await reader.tail(1);
  await reader.close();
  return (last.record as { payload: { text: string } }).payload.text.slice(0, 20);
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const { dir, file, messages } = await benchLogs(quick);
  await ensureIndex(dir);
  const lastText = await newestText(file);
  fs.readFileSync(file); // the page cache warm, so both figures read from memory alike
  const runs = quick ? 3 : 5;
  const shown: number[] = [];
  let rssMb = 0;
  for (let i = 0; i < runs; i++) {
    const r = await firstScreen(dir, lastText, i === runs - 1);
    shown.push(r.ms);
    rssMb = r.rssMb ?? rssMb;
  }
  const t0 = performance.now();
  fs.readFileSync(file);
  const readAll = performance.now() - t0;
  const ms = shown.sort((x, y) => x - y)[Math.floor(shown.length / 2)];
  const label = `${messages.toLocaleString("en-US")}-message session`;
  return [
    { name: `first screen (newest messages), whole process in tmux, ${label} (median of ${runs})`, value: Math.round(ms), unit: "ms",
      baseline: { name: "read the whole file ms", value: Math.round(readAll) }, target: "≤ 500 ms", ok: quick ? undefined : ms <= 500 },
    { name: `TUI memory (RSS) at rest, ${label} open, index present, whole process`, value: Math.round(rssMb), unit: "MB",
      target: "≤ 200 MB", ok: quick ? undefined : rssMb <= 200 },
  ];
}

/** One start of the TUI; with `measureRest`, also its RSS after 5 s at rest on that screen. */
async function firstScreen(dir: string, lastText: string, measureRest: boolean): Promise<{ ms: number; rssMb?: number }> {
  // The shell waits for a line, then execs Node: the clock starts at that line, not at tmux's own start.
  const t = await TmuxTerminal.start(["sh", "-c", `read go; exec ${process.execPath} ${BIN_PATH} --no-recorder --logs ${dir}`]);
  try {
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    await t.keys("Enter"); // the shell's line: no key for the TUI, which opens on the live tail
    for (;;) {
      const screen = await t.screen();
      if (screen.includes("Messages —") && screen.includes(lastText)) break;
      if (performance.now() - t0 > 30_000) throw new Error(`the newest message never showed:\n${screen}`);
    }
    const ms = performance.now() - t0;
    if (!measureRest) return { ms };
    await new Promise((r) => setTimeout(r, 5000));
    const pid = Number(await t.info("#{pane_pid}"));
    const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
    return { ms, rssMb: (kb * 1024) / 2 ** 20 };
  } finally {
    await t.kill();
  }
}
