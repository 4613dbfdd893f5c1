// Realistic session files for benchmarks, generated once under .bench-data/ and reused between runs.
import fs from "node:fs/promises";
import path from "node:path";
import { SessionReader } from "../src/storage/sessionReader.ts";

export const BENCH_DATA = path.resolve(import.meta.dirname, "..", ".bench-data");

const AGENTS = ["claude_code", "gemini_cli", "planner", "reviewer", "tester", "human"];
const TYPES = ["request", "response", "handoff", "broadcast", "status"];
const CHAINS = ["request", "response", "handoff", "broadcast", "system"] as const;
const TOPICS = ["agents.chat", "agents.tasks", "agents.review", "system.status"];
const SYLLABLES = ["ka", "lo", "mer", "tis", "pra", "nu", "vel", "dor", "si", "quen", "ba", "rix", "tol", "em", "fa"];

/** A fixed vocabulary of made-up words plus common ones, so texts look like prose and searches have real hits. */
const WORDS = (() => {
  const words = ["the", "a", "to", "of", "and", "build", "test", "deploy", "error", "review", "merge", "branch",
    "database", "migration", "timeout", "latency", "cache", "index", "schema", "query", "please", "done", "failed"];
  let s = 7;
  for (let i = 0; i < 3000; i++) {
    let w = "";
    for (let k = 0; k < 2 + (i % 3); k++) w += SYLLABLES[(s = (s * 1103515245 + 12345) >>> 0) % SYLLABLES.length];
    words.push(w);
  }
  return words;
})();

/** Deterministic pseudo-random numbers, so every run generates the same file. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** One message record of about 750 bytes as a JSON line. */
function messageLine(seq: number, at: number, rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const sender = pick(AGENTS);
  let recipient = pick(AGENTS);
  if (recipient === sender) recipient = AGENTS[(AGENTS.indexOf(sender) + 1) % AGENTS.length];
  const words: string[] = [];
  for (let n = 0; n < 48 + Math.floor(rand() * 22); n++) words.push(pick(WORDS));
  if (rand() < 0.1) words.push(`#${pick(WORDS)}`);
  const tier = rand() < 0.05 ? 1 : rand() < 0.3 ? 2 : 3;
  return JSON.stringify({
    v: 1,
    seq,
    ts: new Date(at).toISOString(),
    kind: "message",
    topic: pick(TOPICS),
    payload: { sender, recipient, type: pick(TYPES), text: words.join(" ") },
    meta: { agent: sender, recipient, ace_tier: tier, chain_type: pick(CHAINS), shl_tags: tier === 1 ? ["urgent"] : [],
      chain_id: `c${Math.floor(seq / 8)}` },
  });
}

/**
 * Makes sure `file` is a session of `records` records (a `session_started` event, then messages) and returns it.
 * An existing file whose last record has that seq is reused; otherwise it is written in large buffers and renamed
 * into place, so an interrupted run never leaves a half file behind.
 */
export async function ensureSessionFile(file: string, records: number): Promise<string> {
  if (await lastSeqOf(file) === records) return file;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fh = await fs.open(tmp, "w", 0o600);
  try {
    const start = Date.UTC(2026, 10, 24, 1, 0, 0);
    const rand = rng(records);
    let batch: string[] = [JSON.stringify({ v: 1, seq: 1, ts: new Date(start).toISOString(), kind: "event",
      event: "session_started", session: "20261124T010000Z-bench" })];
    for (let seq = 2; seq <= records; seq++) {
      batch.push(messageLine(seq, start + seq * 37, rand));
      if (batch.length === 20_000 || seq === records) {
        await fh.write(batch.join("\n") + "\n");
        batch = [];
      }
    }
    if (batch.length > 0) await fh.write(batch.join("\n") + "\n");
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, file);
  return file;
}

async function lastSeqOf(file: string): Promise<number | null> {
  try {
    const reader = await SessionReader.open(file);
    try {
      const [last] = await reader.tail(1);
      return last?.record?.seq ?? null;
    } finally {
      await reader.close();
    }
  } catch {
    return null;
  }
}
