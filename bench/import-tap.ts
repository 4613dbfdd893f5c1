// Live taps: a transcript line appended → its record durable in the session (p50 / p99, 200 lines at 20 a second,
// some written in two pieces), through the taps and the session writer the recorder uses; and the CPU of a
// recorder at rest with three taps on (its folders holding transcripts that do not change), next to the same
// recorder without taps: the built program as a user runs it (`shearwater record --tap …`), its whole process.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { acquireLock } from "../src/storage/lock.ts";
import { SessionWriter } from "../src/storage/sessionWriter.ts";
import { startTaps } from "../src/transcripts/tap.ts";
import type { TapSpec } from "../src/transcripts/tapSpec.ts";
import type { RecorderStatus } from "../src/control/recorderStatus.ts";
import { cpuMsOf } from "./support/procStat.ts";
import { benchLogsDir, freeEndpoint } from "./support/recorderRun.ts";
import type { Bench } from "./types.ts";

export const run: Bench = async ({ quick }) => {
  const dir = await benchLogsDir("tap");
  try {
    const latency = await appendToDurable(dir, quick ? 60 : 200);
    const windows = quick ? 3 : 5;
    const withTaps = await restingCpu(path.join(dir, "rest-taps"), await transcriptFolders(dir), windows);
    const without = await restingCpu(path.join(dir, "rest-none"), [], windows);
    return [
      { name: "tap: appended → recorded durably p50", value: latency.p50, unit: "ms", target: "—" },
      { name: "tap: appended → recorded durably p99", value: latency.p99, unit: "ms", target: "≤ 1000 ms", ok: latency.p99 <= 1000 },
      { name: `recorder at rest with 3 taps on (300 transcripts), the built program's whole process (median of ${windows} windows of ${WINDOW_MS / 1000} s after it settled)`, value: withTaps, unit: "% of a core", baseline: { name: "the same recorder without taps (%)", value: without }, target: "≤ 1%", ok: withTaps <= 1 },
    ];
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
};

async function appendToDurable(dir: string, lines: number): Promise<{ p50: number; p99: number }> {
  const folder = path.join(dir, "claude");
  await fs.mkdir(path.join(folder, "project"), { recursive: true });
  const logs = path.join(dir, "logs");
  const lock = await acquireLock(logs);
  const writer = await SessionWriter.open(logs);
  const appendedAt = new Map<string, number>();
  const took: number[] = [];
  const taps = await startTaps(logs, [{ format: "claude", dir: folder }], {
    append: async (recs) => {
      await writer.appendMany(recs);
      const now = performance.now();
      for (const r of recs) {
        const at = appendedAt.get(String((r as { meta?: { source?: { id?: string } } }).meta?.source?.id));
        if (at !== undefined) took.push(now - at);
      }
    },
    position: () => ({ session: writer.sessionId, bytes: writer.stats().bytes }),
  });
  const file = path.join(folder, "project", "session.jsonl");
  for (let i = 0; i < lines; i++) {
    const uuid = `line-${i}`;
    const line = JSON.stringify({ type: "user", uuid, parentUuid: i ? `line-${i - 1}` : null, timestamp: new Date().toISOString(), message: { role: "user", content: `message ${i} `.repeat(20) } });
    appendedAt.set(uuid, performance.now());
    if (i % 10 === 5) {
      await fs.appendFile(file, line.slice(0, 50)); // written in two pieces, as a large line can be
      await new Promise((r) => setTimeout(r, 20));
      await fs.appendFile(file, `${line.slice(50)}\n`);
    } else {
      await fs.appendFile(file, `${line}\n`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const deadline = performance.now() + 5000;
  while (took.length < lines && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await taps.stop();
  await writer.close();
  await lock.release();
  if (took.length < lines) throw new Error(`only ${took.length} of ${lines} lines were recorded`);
  took.sort((a, b) => a - b);
  return { p50: took[Math.floor(lines * 0.5)], p99: took[Math.min(lines - 1, Math.floor(lines * 0.99))] };
}

/** Three tap folders with a few transcripts each, as a user's home holds them. */
async function transcriptFolders(dir: string): Promise<TapSpec[]> {
  const specs: TapSpec[] = [];
  for (const format of ["claude", "gemini", "codex"] as const) {
    const folder = path.join(dir, `rest-${format}`);
    for (let p = 0; p < PROJECTS; p++) {
      await fs.mkdir(path.join(folder, `project-${p}`), { recursive: true });
      for (let f = 0; f < TRANSCRIPTS_PER_PROJECT; f++) await fs.writeFile(path.join(folder, `project-${p}`, `s${f}.jsonl`), `${JSON.stringify({ type: "user", uuid: `${p}-${f}` })}\n`);
    }
    specs.push({ format, dir: folder });
  }
  return specs;
}

const SETTLE_MS = 3000;
const PROJECTS = 20;
const TRANSCRIPTS_PER_PROJECT = 5;
const TRANSCRIPTS_PER_FOLDER = PROJECTS * TRANSCRIPTS_PER_PROJECT;
const WINDOW_MS = 6000;

/**
 * CPU of `shearwater record` at rest, in % of one core: the median of `windows` windows once it has settled (its
 * start, the first read of every transcript and what that leaves for the garbage collector are not rest).
 */
async function restingCpu(logs: string, taps: TapSpec[], windows: number): Promise<number> {
  const bin = path.join(import.meta.dirname, "..", "bin", "shearwater.js");
  const tapFlags = taps.flatMap((t) => ["--tap", `${t.format}=${t.dir}`]);
  const child = spawn(process.execPath, [bin, "record", "--logs", logs, "--broker", await freeEndpoint(), "--checkpoint-every", "0", ...tapFlags], { stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const status = JSON.parse(await fs.readFile(path.join(logs, "recorder.status.json"), "utf8")) as RecorderStatus;
    const expected = taps.length * TRANSCRIPTS_PER_FOLDER;
    if ((status.taps?.files ?? 0) !== expected) throw new Error(`the recorder follows ${status.taps?.files ?? 0} transcripts, not ${expected}`);
    const shares: number[] = [];
    for (let w = 0; w < windows; w++) {
      const cpu0 = cpuMsOf(child.pid!);
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      shares.push(((cpuMsOf(child.pid!) - cpu0) / (performance.now() - t0)) * 100);
    }
    return shares.sort((a, b) => a - b)[Math.floor(shares.length / 2)];
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}
