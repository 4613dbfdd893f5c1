// `npm run conformance [-- DIR]`: imports every transcript under ../shared/fixtures (or DIR) into a temporary logs
// folder and prints, per file, what was read: records, messages, tool calls, tokens per model, record types the
// parsers do not know, and the time taken. Then it counts each file's tokens a second, independent way — Claude:
// the usage of the last line of each message.id; Gemini: the last copy of each message; Codex: the sum of each
// token_count's last_token_usage — and fails when the two counts differ. A plain sum over every line is shown beside
// them: it counts a Claude response once per content block, and a Gemini message once per copy.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Tokens } from "../src/record.ts";
import { importTranscripts, type FileImport } from "../src/transcripts/importer.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dir = path.resolve(process.argv[2] ?? path.join(ROOT, "..", "shared", "fixtures"));
type Sums = Record<string, Tokens>;

if (!(await fs.stat(dir).catch(() => null))?.isDirectory()) {
  process.stdout.write(`no fixtures folder at ${dir}: nothing to check\n`);
  process.exit(0);
}
const logs = await fs.mkdtemp(path.join(os.tmpdir(), "shearwater-conformance-"));
try {
  const results = await importTranscripts(logs, [dir]);
  let mismatches = 0;
  const rows = [];
  for (const r of results) {
    const independent = r.format ? await independentCount(r) : null;
    const same = independent === null || equal(total(r.tokens), total(independent.deduplicated));
    if (!same) mismatches++;
    rows.push([
      path.relative(dir, r.file),
      r.format ?? r.status,
      String(r.records),
      String(r.messages),
      String(r.tool_calls),
      Object.entries(r.tokens).map(([m, t]) => `${m}: ${t.input} in, ${t.output} out, ${t.cache_read} cache read, ${t.cache_write} cache write`).join("; ") || "-",
      r.unknown_types.join(", ") || "-",
      `${r.ms} ms`,
      independent ? `${same ? "same" : "**differs**"}; every line summed: ${text(total(independent.everyLine))}` : "-",
    ]);
  }
  const head = ["file", "format", "records", "messages", "tool calls", "tokens per model", "unknown types", "time", "token cross-check"];
  process.stdout.write([head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n") + "\n");
  const failed = results.filter((r) => r.status === "failed" || r.status === "skipped");
  for (const f of failed) process.stderr.write(`${f.status}: ${f.file}: ${f.reason}\n`);
  process.exitCode = mismatches > 0 || failed.length > 0 ? 1 : 0;
} finally {
  await fs.rm(logs, { recursive: true, force: true });
}

/** The file's tokens counted from the file alone, without the parsers: deduplicated as the format says, and per line. */
async function independentCount(r: FileImport): Promise<{ deduplicated: Sums; everyLine: Sums }> {
  const text = await fs.readFile(r.file, "utf8");
  const values: Array<Record<string, any>> = text.trimStart().startsWith("{\n") || r.file.endsWith(".json")
    ? (JSON.parse(text).messages as Array<Record<string, any>>)
    : text.split("\n").flatMap((l) => { try { return [JSON.parse(l)]; } catch { return []; } });
  const last = new Map<string, [string, Tokens]>();
  const everyLine: Sums = {};
  let model = "unknown";
  for (const v of values) {
    let found: [string, string, Tokens] | null = null;
    if (r.format === "claude" && v.type === "assistant" && v.message?.usage && v.message.model !== "<synthetic>") {
      const u = v.message.usage;
      found = [v.message.id, v.message.model, { input: u.input_tokens ?? 0, output: u.output_tokens ?? 0, cache_read: u.cache_read_input_tokens ?? 0, cache_write: u.cache_creation_input_tokens ?? 0 }];
    } else if (r.format === "gemini" && v.id && v.tokens) {
      const t = v.tokens;
      found = [v.id, v.model ?? "unknown", { input: t.input - (t.cached ?? 0) + (t.tool ?? 0), output: t.output + (t.thoughts ?? 0), cache_read: t.cached ?? 0, cache_write: 0 }];
    } else if (r.format === "codex") {
      if (v.type === "turn_context" && v.payload?.model) model = v.payload.model;
      const u = v.type === "event_msg" && v.payload?.type === "token_count" ? v.payload.info?.last_token_usage : undefined;
      if (u) found = [`line ${last.size}`, model, { input: u.input_tokens - (u.cached_input_tokens ?? 0), output: u.output_tokens, cache_read: u.cached_input_tokens ?? 0, cache_write: 0 }];
    }
    if (!found) continue;
    last.set(found[0], [found[1], found[2]]);
    add(everyLine, found[1], found[2]);
  }
  const deduplicated: Sums = {};
  for (const [m, t] of last.values()) add(deduplicated, m, t);
  return { deduplicated, everyLine };
}

function add(sums: Sums, model: string, t: Tokens): void {
  const s = (sums[model] ??= { input: 0, output: 0, cache_read: 0, cache_write: 0 });
  for (const k of ["input", "output", "cache_read", "cache_write"] as const) s[k] += t[k];
}

function total(sums: Sums): Tokens {
  const t: Sums = {};
  for (const s of Object.values(sums)) add(t, "all", s);
  return t.all ?? { input: 0, output: 0, cache_read: 0, cache_write: 0 };
}

function equal(a: Tokens, b: Tokens): boolean {
  return a.input === b.input && a.output === b.output && a.cache_read === b.cache_read && a.cache_write === b.cache_write;
}

function text(t: Tokens): string {
  return `${t.input} in, ${t.output} out, ${t.cache_read} cache read, ${t.cache_write} cache write`;
}
