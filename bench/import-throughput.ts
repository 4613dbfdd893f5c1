// Import throughput: a Claude Code transcript of 100 MB (10 MB with --quick) through `importTranscripts` — the
// first pass for rewinds, parsing, the session written and made durable, its checkpoint — next to a plain
// `JSON.parse` of every line of the same file. Memory: the peak RSS growth while importing (the import streams:
// it should not grow with the file).
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importTranscripts } from "../src/transcripts/importer.ts";
import { benchLogsDir } from "./support/recorderRun.ts";
import type { Bench } from "./types.ts";

const FIXTURE = fileURLToPath(new URL("../test/fixtures/transcripts/claude/s1.jsonl", import.meta.url));
/** A tool's output of this size every few lines, as real transcripts have (file reads, command output). */
const OUTPUT = "src/app.ts:12: const value = compute(input); // the line a search found\n".repeat(48);

export const run: Bench = async ({ quick }) => {
  const mb = quick ? 10 : 100;
  const dir = await benchLogsDir("import");
  try {
    const file = path.join(dir, "transcript.jsonl");
    const bytes = await writeTranscript(file, mb << 20);
    const parseMs = await timed(() => parseEveryLine(file));
    let peak = 0;
    const rss0 = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss - rss0)), 10);
    const importMs = await timed(async () => {
      const [r] = await importTranscripts(path.join(dir, "logs"), [file]);
      if (r.status !== "new") throw new Error(`import: ${r.status} ${r.reason ?? ""}`);
    });
    clearInterval(sampler);
    const rate = (ms: number) => bytes / (1 << 20) / (ms / 1000);
    return [
      { name: `import a ${mb} MB Claude Code transcript`, value: rate(importMs), unit: "MB/s", baseline: { name: "JSON.parse of every line (MB/s)", value: rate(parseMs) }, target: "≥ 50 MB/s", ok: rate(importMs) >= 50 },
      // Bounded but for the tree a Claude Code file's rewinds are found in: about 100 bytes a line.
      { name: `import: peak memory growth (${mb} MB transcript)`, value: peak / (1 << 20), unit: "MiB", target: "≤ 160 MiB (not the file's size)", ok: peak <= 160 << 20 },
    ];
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
};

/** The fixture's lines again and again, ids made unique per copy, a large tool output every few lines. */
async function writeTranscript(file: string, size: number): Promise<number> {
  // Without its rewound branch: rewinds are rare (none in the real transcripts of the conformance run).
  const lines = (await fs.readFile(FIXTURE, "utf8")).trimEnd().split("\n").filter((l) => !/"uuid":"r[12]"/.test(l));
  const fh = await fs.open(file, "w");
  let written = 0;
  try {
    for (let copy = 0; written < size; copy++) {
      const chunk = lines
        .map((l) => l.replace(/"(uuid|parentUuid|leafUuid|id|tool_use_id)":"([^"]+)"/g, `"$1":"$2-${copy}"`))
        .map((l) => (l.includes('"tool_result"') ? l.replace(/"content":"[^"]*"/, `"content":${JSON.stringify(OUTPUT)}`) : l))
        .join("\n") + "\n";
      await fh.write(chunk);
      written += Buffer.byteLength(chunk);
    }
  } finally {
    await fh.close();
  }
  return written;
}

async function parseEveryLine(file: string): Promise<void> {
  const fh = await fs.open(file, "r");
  try {
    let carry = "";
    for await (const chunk of fh.createReadStream({ encoding: "utf8", highWaterMark: 1 << 20 })) {
      const lines = (carry + chunk).split("\n");
      carry = lines.pop()!;
      for (const l of lines) JSON.parse(l);
    }
  } finally {
    await fh.close();
  }
}

async function timed(job: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await job();
  return performance.now() - t0;
}
