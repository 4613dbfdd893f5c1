// Compression of sealed sessions on the 1,000,000-message corpus: shearwater's block compression (writeCompressed:
// compress, sync, read back and hash) next to the gzip -6 and zstd -3 command-line tools on the same file in the same
// run. Targets: ratio ≥ 5×, compression ≥ 100 MB/s. Also how fast a compressed session reads back, forward, and what
// encryption at rest adds (the compressed file encrypted with age, synced, read back and hashed) next to the age tool.
// The corpus's text is words drawn uniformly from a made-up vocabulary, which compresses far less than conversation:
// when the real transcripts of ../shared/fixtures are present, the same is measured on the sessions they import into.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import * as age from "age-encryption";
import { writeCompressed } from "../src/compact/blockWriter.ts";
import { writeEncrypted } from "../src/crypto/encryptFile.ts";
import { streamEntries } from "../src/storage/sessionReader.ts";
import { BENCH_DATA, ensureSessionFile } from "./fixtures.ts";
import type { BenchResult } from "./types.ts";

/** A command-line compressor on the file, output to /dev/null through a pipe: its ratio and MB/s. */
function tool(command: string, args: string[], file: string, bytes: number): { ratio: number; mbs: number } {
  const t0 = performance.now();
  const out = execFileSync(command, [...args, "-c", file], { maxBuffer: 1 << 30 });
  const s = (performance.now() - t0) / 1000;
  return { ratio: bytes / out.length, mbs: bytes / 1e6 / s };
}

const REAL_TRANSCRIPTS = path.resolve(import.meta.dirname, "..", "..", "shared", "fixtures");

/** The sessions `shearwater import` makes of the real transcripts, as one file, or null without the fixtures. */
function importedConversations(): string | null {
  if (!fs.existsSync(REAL_TRANSCRIPTS)) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "compact-real-"));
  const logs = path.join(dir, "logs");
  // No compaction in the background: this compresses them itself, and the next benchmark runs on a quiet machine.
  const env = { ...process.env, SHEARWATER_AUTO_COMPACT: "off" };
  execFileSync(process.execPath, [path.join(import.meta.dirname, "..", "bin", "shearwater.js"), "import", REAL_TRANSCRIPTS, "--logs", logs, "--json"], { env });
  const sessions = path.join(logs, "sessions");
  const all = path.join(dir, "imported.jsonl");
  for (const f of fs.readdirSync(sessions).filter((n) => n.endsWith(".jsonl")).sort()) fs.appendFileSync(all, fs.readFileSync(path.join(sessions, f)));
  return all;
}

/** The same comparison on real conversations: shearwater's blocks, zstd -3 and gzip -6 on one file. */
async function realConversationRows(): Promise<BenchResult[]> {
  const file = importedConversations();
  if (!file) return [];
  try {
    const bytes = fs.statSync(file).size;
    const target = `${file}.swc`;
    const written = await writeCompressed(file, target);
    const zstd = tool("zstd", ["-3", "-q", "-T1"], file, bytes);
    const gzip = tool("gzip", ["-6"], file, bytes);
    const label = `real conversations (../shared/fixtures imported: ${(bytes / 1e6).toFixed(1)} MB of sessions)`;
    return [
      { name: `compression ratio, ${label}`, value: bytes / written.stored, unit: "×", baseline: { name: "zstd -3 (command line)", value: zstd.ratio } },
      { name: "compression ratio, gzip -6 (command line), same sessions", value: gzip.ratio, unit: "×" },
    ];
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const messages = quick ? 20_000 : 1_000_000;
  const file = await ensureSessionFile(path.join(BENCH_DATA, `session-${messages}.jsonl`), messages);
  const bytes = fs.statSync(file).size;
  fs.readFileSync(file); // warm: every contender reads from the page cache
  const target = path.join(BENCH_DATA, `compact-${messages}.jsonl.swc`);
  fs.rmSync(target, { force: true });
  const t0 = performance.now();
  const written = await writeCompressed(file, target);
  const compactS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  for await (const _e of streamEntries(target));
  const readS = (performance.now() - t1) / 1000;
  const recipient = await age.identityToRecipient(await age.generateIdentity());
  const encrypted = `${target}.age`;
  fs.rmSync(encrypted, { force: true });
  const t2 = performance.now();
  await writeEncrypted(target, encrypted, { recipients: [recipient] });
  const encryptS = (performance.now() - t2) / 1000;
  const t3 = performance.now();
  execFileSync("age", ["-r", recipient, "-o", "/dev/null", target]);
  const ageToolS = (performance.now() - t3) / 1000;
  fs.rmSync(target, { force: true });
  fs.rmSync(encrypted, { force: true });
  const gzip = tool("gzip", ["-6"], file, bytes);
  const zstd = tool("zstd", ["-3", "-q", "-T1"], file, bytes);
  const ratio = bytes / written.stored;
  const mbs = bytes / 1e6 / compactS;
  const label = `${messages.toLocaleString("en-US")}-message session, ${Math.round(bytes / 1e6)} MB`;
  return [
    { name: `compression ratio, ${label}`, value: ratio, unit: "×", baseline: { name: "zstd -3 (command line)", value: zstd.ratio }, target: "≥ 5×", ok: quick ? undefined : ratio >= 5 },
    { name: "compression ratio, gzip -6 (command line), same file", value: gzip.ratio, unit: "×" },
    { name: "compact speed (compress in 1 MiB blocks, sync, read back and hash)", value: mbs, unit: "MB/s", baseline: { name: "gzip -6 MB/s", value: gzip.mbs }, target: "≥ 100 MB/s", ok: quick ? undefined : mbs >= 100 },
    { name: "compression speed, zstd -3 (command line, one thread), same file", value: zstd.mbs, unit: "MB/s" },
    { name: "forward scan of the compressed session (streamEntries)", value: bytes / 1e6 / readS, unit: "MB/s" },
    {
      name: "encryption at rest: the compressed file as age (encrypt, sync, read back and hash), per MB of session",
      value: bytes / 1e6 / encryptS,
      unit: "MB/s",
      baseline: { name: "age -r (command line), same file", value: bytes / 1e6 / ageToolS },
    },
    ...(await realConversationRows()),
  ];
}
