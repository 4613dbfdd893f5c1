// `npm run bench [-- --quick] [-- NAME…]`: runs every benchmark in bench/ (or those whose file name contains NAME),
// one after the other so they don't disturb each other, and prints one table: figure, baseline, target, verdict.
// With --write, the table also goes to bench/RESULTS.md, which the README shows.
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Bench, BenchResult } from "./types.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const NOT_BENCHES = new Set(["run.ts", "types.ts", "fixtures.ts"]);

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const write = args.includes("--write");
const filters = args.filter((a) => !a.startsWith("--"));

const files = (await fs.readdir(here))
  .filter((f) => f.endsWith(".ts") && !NOT_BENCHES.has(f))
  .filter((f) => filters.length === 0 || filters.some((n) => f.includes(n)))
  .sort();

// The benchmarks spawn the program, which runs the build: build the sources as they are now.
execFileSync(process.execPath, [path.join(here, "..", "scripts", "build.mjs")], { stdio: "inherit" });

const rows: Array<BenchResult & { file: string }> = [];
let failures = 0;
for (const file of files) {
  process.stderr.write(`» ${file}${quick ? " (quick)" : ""}\n`);
  try {
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { run: Bench };
    for (const r of await mod.run({ quick })) {
      rows.push({ ...r, file });
      process.stderr.write(`  ${line(r)}\n`);
    }
  } catch (err) {
    failures++;
    process.stderr.write(`  FAILED: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
}

const table = [
  `| benchmark | figure | baseline (same run) | target | ok |`,
  `|---|---|---|---|---|`,
  ...rows.map(
    (r) =>
      `| ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)}` : "—"} | ${r.target ?? "—"} | ${r.ok === undefined ? "—" : r.ok ? "yes" : "**no**"} |`,
  ),
].join("\n");
process.stdout.write(`\n${table}\n`);

if (write) {
  const stamp = new Date().toISOString().slice(0, 16).replace("T", " ");
  const header = `# Benchmark figures\n\nMeasured ${stamp} UTC with \`npm run bench${quick ? " -- --quick" : ""}\` on a 2-core, 24 GiB Linux machine (Node ${process.version}).\n\n`;
  await fs.writeFile(path.join(here, "RESULTS.md"), `${header}${table}\n`);
}
process.exitCode = failures > 0 ? 1 : 0;

function line(r: BenchResult): string {
  const base = r.baseline ? `  (baseline ${r.baseline.name}: ${fmt(r.baseline.value)})` : "";
  const verdict = r.ok === undefined ? "" : r.ok ? "  ok" : "  MISSED";
  return `${r.name}: ${fmt(r.value)} ${r.unit}${base}${r.target ? `  target ${r.target}` : ""}${verdict}`;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en-US") : n.toPrecision(3);
}
