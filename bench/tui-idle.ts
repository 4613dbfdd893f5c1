// The TUI at rest with a 1,000,000-message session open (index built, live tail on, nothing arriving): CPU (target
// ≤ 1% of a core), measured in a child process of its own running the real app (Ink, fake 80×24 terminal).
// Baseline: the same process's CPU while it built the index. Its memory is measured on the whole program in a real
// terminal (tui-first-screen.ts): this child runs the sources through tsx, whose compiler would count.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./types.ts";

interface Measure { idleCpuPct: number; busyCpuPct: number }

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const records = quick ? 100_000 : 1_000_000;
  const { benchLogsDir } = await import("./tui-first-screen.ts");
  const { dir } = await benchLogsDir(records);
  const m = await inChild(dir, quick ? 3 : 10);
  const full = !quick;
  const label = `${records.toLocaleString("en-US")}-message session open`;
  return [
    { name: `CPU at rest, ${label}`, value: m.idleCpuPct, unit: "% of a core", baseline: { name: "while indexing %", value: m.busyCpuPct },
      target: "≤ 1%", ok: full ? m.idleCpuPct <= 1 : undefined },
  ];
}

function inChild(dir: string, seconds: number): Promise<Measure> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ["--import", "tsx", self, "--measure-idle", dir, String(seconds)], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as Measure) : reject(new Error(`idle child exited ${code}: ${out}`))));
  });
}

async function measureIdle(dir: string, seconds: number): Promise<Measure> {
  process.env.NODE_ENV ??= "production"; // as the TUI command runs it
  const [{ createElement }, { render }, { App }, { LiveServices }, { TuiStore }] = await Promise.all([
    import("react"), import("ink-testing-library"), import("../components/App.tsx"),
    import("../components/store/services.ts"), import("../components/store/tuiStore.ts"),
  ]);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const store = new TuiStore(dir);
  await store.start();
  const ui = render(createElement(App, { store, services: new LiveServices(dir), browseOnly: true, onQuit: () => {}, size: { columns: 80, rows: 24 } }));
  ui.stdin.write("V");
  while (!store.getSnapshot().view?.indexed) await new Promise((r) => setTimeout(r, 50));
  const busy = process.cpuUsage(cpu0);
  const busyCpuPct = ((busy.user + busy.system) / 1000 / (performance.now() - t0)) * 100;
  await new Promise((r) => setTimeout(r, 2000)); // let the last frames and reads settle
  const cpu1 = process.cpuUsage();
  const t1 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const idle = process.cpuUsage(cpu1);
  const idleCpuPct = ((idle.user + idle.system) / 1000 / (performance.now() - t1)) * 100;
  ui.unmount();
  store.dispose();
  return { idleCpuPct, busyCpuPct };
}

const at = process.argv.indexOf("--measure-idle");
if (at >= 0) {
  const m = await measureIdle(process.argv[at + 1], Number(process.argv[at + 2]));
  process.stdout.write(JSON.stringify(m) + "\n");
  process.exit(0);
}
