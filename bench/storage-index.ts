// Opening a 1,000,000-record (~750 MB) session: the line-offset index (target ≤ 1.5 s, ≤ 100 MB of memory) against
// node's readline counting the same lines, the viewer's first screen (tail(50) with no index), and a forward scan.
// Each figure is taken in its own child process, so its memory (peak RSS growth) is its own.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SessionReader, streamEntries } from "../src/storage/sessionReader.ts";
import { BENCH_DATA, ensureSessionFile } from "./fixtures.ts";
import type { BenchResult } from "./types.ts";

type Mode = "index" | "readline" | "tail" | "scan";
interface Measure { ms: number; lines: number; rssGrowthMb: number }

const MB = 1024 * 1024;

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const records = quick ? 50_000 : 1_000_000;
  const file = await ensureSessionFile(path.join(BENCH_DATA, `session-${records}.jsonl`), records);
  const sizeMb = fs.statSync(file).size / MB;
  await measure("scan", file); // warm the page cache, so every figure reads from memory alike
  const index = await measure("index", file);
  const lines = await measure("readline", file);
  const tail = await measure("tail", file);
  const scan = await measure("scan", file);
  if (index.lines !== records || lines.lines !== records || scan.lines !== records) {
    throw new Error(`line counts disagree: index ${index.lines}, readline ${lines.lines}, scan ${scan.lines}, expected ${records}`);
  }
  const full = !quick;
  const label = `${records.toLocaleString("en-US")} records, ${Math.round(sizeMb)} MB`;
  return [
    { name: `index ${label}`, value: index.ms, unit: "ms", baseline: { name: "readline line count ms", value: lines.ms },
      target: "≤ 1500 ms", ok: full ? index.ms <= 1500 : undefined },
    { name: "index memory (peak RSS growth)", value: index.rssGrowthMb, unit: "MB",
      baseline: { name: "readline MB", value: lines.rssGrowthMb }, target: "≤ 100 MB", ok: full ? index.rssGrowthMb <= 100 : undefined },
    { name: "open + tail(50), no index", value: tail.ms, unit: "ms", baseline: { name: "index first ms", value: index.ms } },
    { name: "forward scan (streamEntries, text decoded)", value: sizeMb / (scan.ms / 1000), unit: "MB/s",
      baseline: { name: "readline MB/s", value: sizeMb / (lines.ms / 1000) }, target: "≥ 300 MB/s", ok: full ? sizeMb / (scan.ms / 1000) >= 300 : undefined },
  ];
}

function measure(mode: Mode, file: string): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), mode, file], {
      cwd: path.resolve(import.meta.dirname, ".."), // where `--import tsx` is found
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out) as Measure) : reject(new Error(`${mode} child exited ${code}`))));
  });
}

/** In the child: one measurement, printed as JSON. */
async function child(mode: Mode, file: string): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let lines = 0;
  if (mode === "index") {
    const reader = await SessionReader.open(file);
    await reader.buildIndex();
    lines = reader.count;
    await reader.close();
  } else if (mode === "readline") {
    const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    for await (const _ of rl) lines++;
  } else if (mode === "tail") {
    const reader = await SessionReader.open(file);
    const last = await reader.tail(50);
    lines = last.at(-1)?.record?.seq ?? 0;
    await reader.close();
  } else {
    for await (const e of streamEntries(file)) if (e.raw.length > 0) lines++;
  }
  const ms = performance.now() - t0;
  const rssGrowthMb = (peakRssBytes() - rssBefore) / MB;
  process.stdout.write(JSON.stringify({ ms, lines, rssGrowthMb } satisfies Measure));
}

/**
 * This process's peak RSS. On Linux getrusage's maxRSS also counts the parent's resident pages at the fork before
 * the exec that started this child, so the high-water mark of its own memory map (VmHWM) is read instead.
 */
function peakRssBytes(): number {
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSyncOrEmpty("/proc/self/status"));
  return hwm ? Number(hwm[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

function readFileSyncOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await child(process.argv[2] as Mode, process.argv[3]);
}
