// Search as the TUI user sees it on the 1,000,000-message session with its index: the built program (`shearwater
// --no-recorder`, dist/) in a real 200×60 terminal (a pseudo-terminal: the wide layout) and the real search, a
// query typed a key at a time as a person types (100 ms apart), timed from the last key until the frame that shows
// the first result (target ≤ 100 ms) and until the one that shows 50 (target ≤ 300 ms), after a first search that
// started the program's search threads and opened the index (timed too, on its own row). Baseline: the same
// query's top 50 from the search module alone (searchAll), in this process.
import { performance } from "node:perf_hooks";
import { searchAll } from "../src/search/search.ts";
import { benchLogs, ensureIndex } from "./search-build.ts";
import { runInTerminal } from "./support/ptyFrames.ts";
import type { BenchResult } from "./types.ts";

/** Words of the bench vocabulary, as typed: whole, with a typo, two of them, one being typed. */
const QUERIES = ["deploy failed", "databse", "migration timeout", "latency cach", "merge branch", "review", "schema query", "eror"];
/** The program's first search, not among the timed ones. */
const WARM_UP = "timeout";
const KEY_GAP_MS = 100;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const hitsShown = (frame: string) => Number(/(\d+)\+? hits/.exec(frame)?.[1] ?? 0);

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const { dir, messages } = await benchLogs(quick);
  await ensureIndex(dir);
  const frames = runInTerminal(["--no-recorder", "--logs", dir], { columns: 200, rows: 60 });
  const first: number[] = [];
  const fifty: number[] = [];
  const alone: number[] = [];
  let coldFirst = 0;
  try {
    await frames.until((f) => f.includes("Messages —"), 30_000);
    await searchAll(dir, QUERIES[0], { limit: 50 }); // the index in the page cache, as for a folder in use
    frames.type("/");
    await frames.until((f) => f.includes("Search:"), 10_000);
    const typed = async (query: string) => {
      let t0 = 0;
      for (const [i, ch] of [...query].entries()) {
        t0 = performance.now();
        frames.type(ch);
        if (i < query.length - 1) await new Promise((r) => setTimeout(r, KEY_GAP_MS));
      }
      const shown = (await frames.until((f) => f.includes(`Search: ${query}`) && hitsShown(f) > 0, 10_000)) - t0;
      const all = (await frames.until((f) => hitsShown(f) >= 50 || (f.includes(" hits") && !f.includes("searching…")), 10_000)) - t0;
      frames.type("\x7f".repeat([...query].length));
      await frames.until((f) => f.includes("Search: ▏"), 10_000);
      return { shown, all };
    };
    coldFirst = (await typed(WARM_UP)).shown;
    for (const query of QUERIES) {
      const { shown, all } = await typed(query);
      first.push(shown);
      fifty.push(all);
      const a0 = performance.now();
      await searchAll(dir, query, { scope: "all", limit: 50 });
      alone.push(performance.now() - a0);
    }
  } finally {
    await frames.close();
  }
  const label = `${messages.toLocaleString("en-US")} msgs, median of ${QUERIES.length} queries`;
  const full = !quick;
  return [
    { name: `TUI search, the built program in a 200×60 terminal: last key → first streamed result on screen (${label})`, value: median(first), unit: "ms",
      baseline: { name: "search module alone, top 50 (ms)", value: median(alone) }, target: "≤ 100 ms", ok: full ? median(first) <= 100 : undefined },
    { name: `TUI search, the built program: last key → top 50 on screen (${label})`, value: median(fifty), unit: "ms",
      baseline: { name: "search module alone, top 50 (ms)", value: median(alone) }, target: "≤ 300 ms", ok: full ? median(fifty) <= 300 : undefined },
    { name: "TUI search: the program's first search (its threads started, the index opened), last key → first result", value: coldFirst, unit: "ms" },
  ];
}
