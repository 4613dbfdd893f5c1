// `shearwater import`: one sealed session per transcript file, written durably and owner-only, payloads byte-exact;
// importing again adds nothing, a grown file adds only its new lines, a torn last line waits, a replaced file goes
// into a new session, a crash's torn session tail is repaired without a duplicate or a gap.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { listCheckpoints, verifyCheckpoint } from "../../src/storage/checkpoints.ts";
import { sealedFile } from "../../src/storage/sessionFile.ts";
import { importTranscripts } from "../../src/transcripts/importer.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { writeLongTranscript } from "./longTranscript.ts";
import { FIXTURES, fixture } from "./support.ts";

async function sessionLines(logs: string, session: string): Promise<Record<string, unknown>[]> {
  const text = await fs.readFile(sealedFile(logs, session), "utf8");
  return text.trimEnd().split("\n").map((l) => JSON.parse(l));
}

/** A copy of a fixture in a folder of its own, to grow and replace. */
async function copied(name: string): Promise<{ logs: string; file: string; lines: string[] }> {
  const dir = await tmpDir();
  const file = path.join(dir, path.basename(name));
  const text = await fs.readFile(fixture(name), "utf8");
  await fs.writeFile(file, text);
  return { logs: path.join(dir, "logs"), file, lines: text.trimEnd().split("\n") };
}

describe("import", () => {
  it("makes one owner-only sealed session per file, each line's bytes in its record, and a checkpoint of it", async () => {
    const logs = path.join(await tmpDir(), "logs");
    const results = await importTranscripts(logs, [FIXTURES]);
    expect(results.map((r) => [path.relative(FIXTURES, r.file), r.status, r.format])).toEqual([
      ["claude/old-1.0.jsonl", "new", "claude"],
      ["claude/s1/subagents/agent-a77.jsonl", "new", "claude"],
      ["claude/s1.jsonl", "new", "claude"],
      ["codex/rollout-2025-09-19T09-00-00-cx1.jsonl", "new", "codex"],
      ["gemini/session-2026-04-23T12-00-g1.jsonl", "new", "gemini"],
      ["gemini/session-legacy.json", "new", "gemini"],
    ]);
    expect(new Set(results.map((r) => r.session)).size).toBe(results.length);
    const s1 = results.find((r) => r.file.endsWith("s1.jsonl"))!;
    const file = sealedFile(logs, s1.session!);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const raw = (await fs.readFile(file, "utf8")).trimEnd().split("\n");
    const source = (await fs.readFile(s1.file, "utf8")).trimEnd().split("\n");
    expect(raw).toHaveLength(source.length + 1);
    expect(JSON.parse(raw[0])).toMatchObject({ seq: 1, kind: "event", event: "session_started", session: s1.session, imported_from: { format: "claude", file: s1.file } });
    raw.slice(1).forEach((line, i) => {
      expect(line.endsWith(`"payload":${source[i]}}`)).toBe(true);
      expect(JSON.parse(line)).toMatchObject({ seq: i + 2, kind: "message", topic: "claude_code", meta: { source: { line: i + 1 } } });
    });
    expect(s1).toMatchObject({ records: source.length, tool_calls: 3, unknown_types: ["brand-new-record-kind"] });
    const checkpoints = await listCheckpoints(logs);
    expect(checkpoints.map((c) => c.session).sort()).toEqual(results.map((r) => r.session).sort());
    const own = checkpoints.find((c) => c.session === s1.session)!;
    expect(own).toMatchObject({ id: s1.checkpoint, label: "import claude_code s1.jsonl", records: source.length + 1, last_seq: source.length + 1 });
    expect(await verifyCheckpoint(logs, own.id)).toEqual({ ok: true });
  });

  it("adds nothing the second time, and only the new lines of a file that grew, in the same session", async () => {
    const { logs, file, lines } = await copied("claude/s1.jsonl");
    await fs.writeFile(file, `${lines.slice(0, 10).join("\n")}\n`);
    const [first] = await importTranscripts(logs, [file]);
    expect(first).toMatchObject({ status: "new", records: 10 });
    const before = await fs.readFile(sealedFile(logs, first.session!));
    const [again] = await importTranscripts(logs, [file]);
    expect(again).toMatchObject({ status: "unchanged", records: 0, session: first.session });
    expect(await fs.readFile(sealedFile(logs, first.session!))).toEqual(before);
    await fs.appendFile(file, `${lines.slice(10).join("\n")}\n`);
    const [grown] = await importTranscripts(logs, [file]);
    expect(grown).toMatchObject({ status: "grown", records: lines.length - 10, session: first.session });
    const recs = await sessionLines(logs, first.session!);
    expect(recs.map((r) => r.seq)).toEqual(recs.map((_, i) => i + 1));
    expect(recs.slice(1).map((r) => (r.meta as { source: { line: number } }).source.line)).toEqual(lines.map((_, i) => i + 1));
    // Tokens of a response split across the two imports still count once: the parser re-read the first part.
    const output = recs.reduce((n, r) => n + ((r.meta as { tokens?: { output: number } } | undefined)?.tokens?.output ?? 0), 0);
    expect(output).toBe(162 + 5);
    expect((await listCheckpoints(logs)).filter((c) => c.session === first.session)).toHaveLength(2);
  });

  it("leaves a torn last line for the next import, which takes it once complete", async () => {
    const { logs, file, lines } = await copied("codex/rollout-2025-09-19T09-00-00-cx1.jsonl");
    const last = lines.at(-1)!;
    await fs.writeFile(file, `${lines.slice(0, -1).join("\n")}\n${last.slice(0, 25)}`);
    const [first] = await importTranscripts(logs, [file]);
    expect(first.records).toBe(lines.length - 1);
    expect((await importTranscripts(logs, [file]))[0]).toMatchObject({ status: "unchanged", records: 0 });
    await fs.appendFile(file, `${last.slice(25)}\n`);
    const [done] = await importTranscripts(logs, [file]);
    expect(done).toMatchObject({ status: "grown", records: 1 });
    const recs = await sessionLines(logs, first.session!);
    expect(recs.at(-1)!.payload).toEqual(JSON.parse(last));
    expect(recs).toHaveLength(lines.length + 1);
  });

  it("imports a replaced file into a new session, keeping the old one", async () => {
    const { logs, file } = await copied("claude/old-1.0.jsonl");
    const [first] = await importTranscripts(logs, [file]);
    await fs.rm(file);
    await fs.copyFile(fixture("claude/s1/subagents/agent-a77.jsonl"), file);
    const [second] = await importTranscripts(logs, [file]);
    expect(second).toMatchObject({ status: "replaced", records: 2 });
    expect(second.session).not.toBe(first.session);
    expect(await sessionLines(logs, first.session!)).toHaveLength(3);
  });

  it("repairs a session torn by a crash and goes on from its last whole record, with no duplicate or gap", async () => {
    const { logs, file, lines } = await copied("gemini/session-2026-04-23T12-00-g1.jsonl");
    await fs.writeFile(file, `${lines.slice(0, 4).join("\n")}\n`);
    const [first] = await importTranscripts(logs, [file]);
    const session = sealedFile(logs, first.session!);
    const whole = await fs.readFile(session, "utf8");
    const lastLine = whole.trimEnd().split("\n").at(-1)!;
    await fs.writeFile(session, whole.slice(0, whole.length - lastLine.length - 1) + lastLine.slice(0, 30)); // died mid-line
    await fs.appendFile(file, `${lines.slice(4).join("\n")}\n`);
    const [resumed] = await importTranscripts(logs, [file]);
    expect(resumed).toMatchObject({ status: "grown", records: lines.length - 3 });
    const recs = await sessionLines(logs, first.session!);
    expect(recs.slice(1).map((r) => (r.meta as { source: { line: number } }).source.line)).toEqual(lines.map((_, i) => i + 1));
    expect(recs.map((r) => r.seq)).toEqual(recs.map((_, i) => i + 1));
    const log = await fs.readFile(path.join(logs, "recovery", "crash_recovery.jsonl"), "utf8");
    expect(log).toContain("partial last line");
  });

  it("adds a legacy Gemini file's new messages only, though the file is rewritten whole", async () => {
    const { logs, file } = await copied("gemini/session-legacy.json");
    const whole = JSON.parse(await fs.readFile(file, "utf8"));
    await fs.writeFile(file, JSON.stringify({ ...whole, messages: whole.messages.slice(0, 1) }, null, 2));
    const [first] = await importTranscripts(logs, [file]);
    expect(first.records).toBe(2);
    await fs.writeFile(`${file}.tmp`, JSON.stringify(whole, null, 2));
    await fs.rename(`${file}.tmp`, file); // the way it is rewritten: a new file in its place
    const [second] = await importTranscripts(logs, [file]);
    expect(second).toMatchObject({ records: 1, session: first.session });
  });

  it("does not follow a symbolic link inside a folder, and reports files that are not transcripts", async () => {
    const dir = await tmpDir();
    const src = path.join(dir, "src");
    await fs.mkdir(src);
    await fs.symlink(fixture("claude/old-1.0.jsonl"), path.join(src, "link.jsonl"));
    await fs.writeFile(path.join(src, "notes.json"), '{"hello": "world"}\n');
    const results = await importTranscripts(path.join(dir, "logs"), [src, path.join(dir, "missing")]);
    expect(results.map((r) => [path.basename(r.file), r.status])).toEqual([["missing", "failed"], ["notes.json", "skipped"]]);
  });
});

describe("shearwater import (the executable)", () => {
  it("prints what it imported, as JSON with --json; a missing path fails with exit 1", async () => {
    const logs = path.join(await tmpDir(), "logs");
    const run = shearwaterSync("import", "--logs", logs, "--json", fixture("codex"));
    expect(run.status).toBe(0);
    const [result] = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: "new", format: "codex", records: 13, messages: 5, tool_calls: 1, tokens: { "gpt-5-codex": { input: 2000, output: 350, cache_read: 9000, cache_write: 0 } } });
    const table = shearwaterSync("import", "--logs", logs, fixture("codex"));
    expect(table.stdout).toMatch(/^status\s+source\s+records.*\nunchanged\s+codex_cli\s+0\s+0\s+0\s+\d{8}T/);
    const missing = shearwaterSync("import", "--logs", logs, path.join(logs, "nothing-here"));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("no such file or folder");
    expect(shearwaterSync("import", "--logs", logs, "--format", "word", fixture("codex")).status).toBe(2);
  });

  it("killed in the middle of a long import, leaves no checkpoint of the part, and the next import finishes it: every line once", { timeout: 60_000 }, async () => {
    const dir = await tmpDir();
    const file = path.join(dir, "long.jsonl");
    await writeLongTranscript(file, 40 << 20);
    const logs = path.join(dir, "logs");
    const importing = spawn(process.execPath, [BIN_PATH, "import", "--logs", logs, file], { stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => importing.on("exit", (_code, signal) => resolve(signal)));
    // Killed once the session holds some records but far from all of them (the import writes 8 MiB at a time).
    await waitFor(async () => ((await sessionBytes(logs)) > 1 << 20 ? true : null), { what: "the import's first records", intervalMs: 2 });
    importing.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(await listCheckpoints(logs)).toEqual([]);
    const [resumed] = await importTranscripts(logs, [file]);
    expect(resumed.status).toBe("grown");
    const recs = await sessionLines(logs, resumed.session!);
    const lines = (await fs.readFile(file, "utf8")).trimEnd().split("\n").length;
    expect(recs.map((r) => r.seq)).toEqual(recs.map((_, i) => i + 1));
    expect(recs.slice(1).map((r) => (r.meta as { source: { line: number } }).source.line)).toEqual(Array.from({ length: lines }, (_, i) => i + 1));
    const [checkpoint] = await listCheckpoints(logs);
    expect(checkpoint).toMatchObject({ session: resumed.session, records: lines + 1 });
    expect(await verifyCheckpoint(logs, checkpoint.id)).toEqual({ ok: true });
  });
});

/** The size of the one session an import is writing, 0 before it exists. */
async function sessionBytes(logs: string): Promise<number> {
  const names = await fs.readdir(path.join(logs, "sessions")).catch(() => [] as string[]);
  const name = names.find((n) => n.endsWith(".jsonl"));
  return name ? (await fs.stat(path.join(logs, "sessions", name))).size : 0;
}
