// `shearwater search` end to end, as a child process.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { indexOnce } from "../../src/search/indexer.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { claudeLine } from "../transcripts/claudeTap.ts";
import { writeSession, type Msg } from "./corpus.ts";

const START = Date.now() - 3_600_000;
const MSGS: Msg[] = [
  { from: "alice", to: "bob", text: "the database migration is done", at: 1, tier: 1 },
  { from: "bob", to: "alice", text: "\u001b[31mred alert\u001b[0m in the database", at: 2 },
  { from: "carol", text: "nothing to see here", at: 3 },
];

function shearwater(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN_PATH, ...args], { env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

async function logs(indexed: boolean): Promise<string> {
  const dir = await tmpDir();
  await writeSession(dir, MSGS, START);
  if (indexed) await indexOnce(dir);
  return dir;
}

describe("shearwater search", () => {
  it.each([true, false])("prints matches with their hits marked and control characters made inert (indexed: %s)", async (indexed) => {
    const dir = await logs(indexed);
    const r = await shearwater("search", "--logs", dir, "databse");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(r.stdout).toContain("alice → bob #2  the [database] migration is done");
    expect(r.stdout).toContain("␛[31mred alert␛[0m in the [database]");
    expect(r.stdout).not.toContain("\u001b");
  });

  it("prints JSON with --json, keeps to --limit, and takes filters", async () => {
    const dir = await logs(true);
    const r = await shearwater("search", "--logs", dir, "--json", "--limit", "1", "database", "from:alice");
    expect(r.status).toBe(0);
    const hits = JSON.parse(r.stdout);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ seq: 2, agent: "alice", source: "index", snippet: { hits: [[4, 12]] } });
  });

  it("marks a hit a rewind took out of the conversation: (rewound) in the text, rewound: true in --json", async () => {
    const dir = await tmpDir();
    const at = new Date(START).toISOString();
    const transcript = path.join(dir, "transcript.jsonl");
    await fs.writeFile(transcript, [
      claudeLine("u1", null, "user", "first question", at), claudeLine("a1", "u1", "assistant", "first answer", at),
      claudeLine("u2", "a1", "user", "a question taken back", at), claudeLine("u3", "a1", "user", "asked again", at),
    ].join("\n") + "\n");
    expect((await shearwater("import", transcript, "--logs", dir)).status).toBe(0);
    const text = await shearwater("search", "--logs", dir, "--all", "question");
    expect(text.status).toBe(0);
    const lines = text.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes("taken back"))).toMatch(/ claude_code \(rewound\) #\d+  a \[question\] taken back$/);
    expect(lines.find((l) => l.includes("first ["))).toMatch(/ claude_code #\d+  first \[question\]$/);
    const json = await shearwater("search", "--logs", dir, "--all", "--json", "question");
    const hits = JSON.parse(json.stdout) as { rewound: boolean; snippet: { text: string } }[];
    expect(hits.map((h) => [h.snippet.text, h.rewound]).sort()).toEqual([["a question taken back", true], ["first question", false]]);
  });

  it("says so when nothing matches, and exits 0", async () => {
    const dir = await logs(true);
    const r = await shearwater("search", "--logs", dir, "unicorn");
    expect([r.status, r.stdout, r.stderr]).toEqual([0, "", "no matches\n"]);
  });

  it("with no match in the active session, says that --all searches the sealed sessions too", async () => {
    const dir = await logs(true);
    const at = new Date(START).toISOString();
    const transcript = path.join(dir, "transcript.jsonl");
    await fs.writeFile(transcript, `${claudeLine("u1", null, "user", "where is the unicorn", at)}\n`);
    expect((await shearwater("import", transcript, "--logs", dir)).status).toBe(0);
    const active = await shearwater("search", "--logs", dir, "unicorn");
    expect([active.status, active.stdout, active.stderr]).toEqual([0, "", "no matches in the active session (--all searches the 1 sealed session too)\n"]);
    const all = await shearwater("search", "--logs", dir, "--all", "unicorn");
    expect(all.stdout).toContain("where is the [unicorn]");
  });

  it("exits 2 with the problem pointed at on a bad query", async () => {
    const dir = await logs(false);
    const [r, time] = await Promise.all([
      shearwater("search", "--logs", dir, "deploy", "colour:red"),
      shearwater("search", "--logs", dir, "since:yesterday"),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bad query: unknown field "colour:" at column 8');
    expect(r.stderr).toContain("  deploy colour:red\n         ^^^^^^^");
    expect(time.status).toBe(2);
    expect(time.stderr).toMatch(/bad time "yesterday"/);
  });

  it("exits 2 on conflicting or bad options, 1 on an unknown checkpoint", async () => {
    const dir = await logs(false);
    const [both, zero, r] = await Promise.all([
      shearwater("search", "--logs", dir, "--all", "--checkpoint", "x", "a"),
      shearwater("search", "--logs", dir, "--limit", "0", "a"),
      shearwater("search", "--logs", dir, "--checkpoint", "nope", "a"),
    ]);
    expect([both.status, zero.status]).toEqual([2, 2]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no checkpoint "nope"/);
  });

  it("has --help", async () => {
    const r = await shearwater("search", "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--checkpoint <id>.*\n.*--all/s);
  });
});
