// The TUI's first screen of a 1,000,000-message session (target ≤ 300 ms): from opening the logs folder to the
// frame that shows the newest message, drawn by the real app (Ink, fake terminal of 80×24). The baseline reads
// the whole file, which is what a viewer without an index-free tail would have to do first.
import fs from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { SessionReader } from "../src/storage/sessionReader.ts";
import { BENCH_DATA, ensureSessionFile } from "./fixtures.ts";
import type { BenchResult } from "./types.ts";

/** The app as the TUI command runs it: React's production build (set before React loads). */
async function loadApp() {
  process.env.NODE_ENV ??= "production";
  const [{ createElement }, { render }, { App }, { LiveServices }, { TuiStore }] = await Promise.all([
    import("react"), import("ink-testing-library"), import("../components/App.tsx"),
    import("../components/store/services.ts"), import("../components/store/tuiStore.ts"),
  ]);
  return { createElement, render, App, LiveServices, TuiStore };
}

/** A logs folder whose current session is the bench session (hard-linked: nothing copied). */
export async function benchLogsDir(records: number): Promise<{ dir: string; lastText: string }> {
  const file = await ensureSessionFile(path.join(BENCH_DATA, `session-${records}.jsonl`), records);
  const dir = path.join(BENCH_DATA, `tui-logs-${records}`);
  const current = path.join(dir, "current_session.jsonl");
  const [a, b] = await Promise.all([fs.stat(file), fs.stat(current).catch(() => null)]);
  if (b?.ino !== a.ino) {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(path.join(dir, "checkpoints"), { recursive: true });
    await fs.link(file, current).catch(() => fs.copyFile(file, current));
  }
  const reader = await SessionReader.open(current);
  const [last] = await reader.tail(1);
  await reader.close();
  const text = (last.record as { payload: { text: string } }).payload.text;
  return { dir, lastText: text.slice(0, 20) };
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const records = quick ? 100_000 : 1_000_000;
  const { dir, lastText } = await benchLogsDir(records);
  const current = path.join(dir, "current_session.jsonl");
  await fs.readFile(current); // warm the page cache so both figures read from memory alike

  const runs = quick ? 3 : 5;
  const times: number[] = [];
  const app = await loadApp();
  for (let i = 0; i < runs; i++) times.push(await firstScreen(app, dir, lastText));
  const t0 = performance.now();
  await fs.readFile(current);
  const readAll = performance.now() - t0;
  const ms = times.sort((x, y) => x - y)[Math.floor(times.length / 2)];
  return [
    { name: `first screen, ${records.toLocaleString("en-US")}-message session (median of ${runs})`, value: ms, unit: "ms",
      baseline: { name: "read the whole file ms", value: readAll }, target: "≤ 300 ms", ok: quick ? undefined : ms <= 300 },
  ];
}

async function firstScreen(
  { createElement, render, App, LiveServices, TuiStore }: Awaited<ReturnType<typeof loadApp>>,
  dir: string,
  lastText: string,
): Promise<number> {
  const t0 = performance.now();
  const store = new TuiStore(dir);
  await store.start();
  const ui = render(createElement(App, { store, services: new LiveServices(dir), browseOnly: true, onQuit: () => {}, size: { columns: 80, rows: 24 } }));
  const shown = new Promise<number>((resolve) => {
    const write = ui.stdout.write;
    ui.stdout.write = (frame: string) => {
      write(frame);
      if (frame.includes("Messages —") && frame.includes(lastText)) resolve(performance.now() - t0);
    };
  });
  ui.stdin.write("V");
  const ms = await shown;
  ui.unmount();
  store.dispose();
  return ms;
}
