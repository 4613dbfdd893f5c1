// The three transcript formats read into message records: payloads byte-exact, tokens counted once per response,
// the tree's rewinds and compactions, tool calls and results, unknown record types kept, nothing that crashes.
import fc from "fast-check";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PAYLOAD_JSON } from "../../src/storage/recordJson.ts";
import { legacyRecords } from "../../src/transcripts/geminiLegacy.ts";
import { TranscriptReader } from "../../src/transcripts/transcriptReader.ts";
import { FORMATS } from "../../src/transcripts/types.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { fixture, readAll, tokensByModel, type Parsed } from "./support.ts";

const bySourceId = (recs: Parsed[], id: string) => recs.filter((r) => r.meta.source?.id === id);
const payloadText = (r: Parsed) => Buffer.from(r[PAYLOAD_JSON]!).toString("utf8");

describe("Claude Code transcripts", () => {
  it("keep every line as one record whose payload is the line's exact text", async () => {
    const file = fixture("claude/s1.jsonl");
    const lines = (await fs.readFile(file, "utf8")).trimEnd().split("\n");
    const recs = await readAll(file, "claude");
    expect(recs.map(payloadText)).toEqual(lines);
    expect(recs.map((r) => r.topic)).toEqual(lines.map(() => "claude_code"));
    expect(recs.map((r) => r.meta.source?.line)).toEqual(lines.map((_, i) => i + 1));
    expect(recs.every((r) => r.meta.agent === "claude_code")).toBe(true);
  });

  it("count a response's tokens once: the lines sharing message.id sum to its final usage", async () => {
    const recs = await readAll(fixture("claude/s1.jsonl"), "claude");
    const responseA = recs.filter((r) => (r.payload as { message?: { id?: string } }).message?.id === "msg_A");
    expect(responseA).toHaveLength(3);
    expect(responseA.map((r) => r.meta.tokens?.output ?? 0)).toEqual([10, 0, 80]);
    expect(tokensByModel(recs)).toEqual({
      "claude-opus-4-6": { input: 3 + 5 + 7 + 1, output: 90 + 40 + 30 + 2, cache_read: 6000, cache_write: 200 },
      "claude-sonnet-4-5": { input: 2, output: 5, cache_read: 100, cache_write: 50 },
    });
  });

  it("read text, thinking, tool calls as Name(args) and tool results with the tool's name and error", async () => {
    const recs = await readAll(fixture("claude/s1.jsonl"), "claude");
    const [thinking] = bySourceId(recs, "a1");
    expect(thinking.meta).toMatchObject({ role: "assistant", model: "claude-opus-4-6", thinking: "The user wants the build checked." });
    const [call] = bySourceId(recs, "a3");
    expect(call.meta.text).toBe("Bash(git status)");
    expect(call.meta.tool_calls).toEqual([{ id: "toolu_1", name: "Bash", summary: "git status" }]);
    const [result] = bySourceId(recs, "t1");
    expect(result.meta).toMatchObject({ role: "tool", text: "Bash → fatal: not a git repository", error: true, parent: "a3" });
    const [grep] = bySourceId(recs, "t3");
    expect(grep.meta.text).toBe("Grep → src/a.ts:1: TODO");
    expect(bySourceId(recs, "u1").at(-1)!.meta).toMatchObject({ role: "user", text: "why does the build fail?" });
  });

  it("mark a rewound branch, and only that: parallel tool results are side branches of the conversation", async () => {
    const recs = await readAll(fixture("claude/s1.jsonl"), "claude");
    const rewound = recs.filter((r) => r.meta.rewound).map((r) => r.meta.source?.id);
    expect(rewound).toEqual(["r1", "r2"]);
  });

  it("follow a compaction: the boundary links to the conversation before it, the summary is a system record", async () => {
    const recs = await readAll(fixture("claude/s1.jsonl"), "claude");
    const [boundary] = bySourceId(recs, "cb");
    expect(boundary.meta).toMatchObject({ role: "system", parent: "u2", text: "conversation compacted (auto, 170251 tokens before)" });
    expect(boundary.meta.source?.type).toBe("system:compact_boundary");
    expect(bySourceId(recs, "cs")[0].meta.role).toBe("system");
    expect(bySourceId(recs, "e1")[0].meta.model).toBe("claude-sonnet-4-5");
  });

  it("keep record types it does not know, and the ones that are not conversation, as system records", async () => {
    const recs = await readAll(fixture("claude/s1.jsonl"), "claude");
    const types = recs.filter((r) => r.meta.role === "system").map((r) => r.meta.source?.type);
    expect(types).toEqual(expect.arrayContaining(["file-history-snapshot", "progress", "queue-operation", "brand-new-record-kind", "summary"]));
    const unknown = recs.find((r) => r.meta.source?.type === "brand-new-record-kind")!;
    expect(unknown.payload).toEqual({ type: "brand-new-record-kind", timestamp: "2026-02-12T10:00:13.000Z", payload: { x: 1 } });
    expect(unknown.meta.text).toBe("[brand-new-record-kind]");
    // A line without a time of its own takes the one before it (the first, its snapshot's).
    expect(recs[0].ts).toBe("2026-02-12T10:00:00.000Z");
    expect(recs.at(-1)!.ts).toBe("2026-02-12T10:00:13.000Z");
  });

  it("name the subagent of a sidechain file, and read the 1.0 shape", async () => {
    const sub = await readAll(fixture("claude/s1/subagents/agent-a77.jsonl"), "claude");
    expect(sub.map((r) => r.meta.subagent)).toEqual(["a77", "a77"]);
    expect(sub.some((r) => r.meta.rewound)).toBe(false);
    const old = await readAll(fixture("claude/old-1.0.jsonl"), "claude");
    expect(old.map((r) => [r.meta.role, r.meta.text])).toEqual([["user", "hello"], ["assistant", "Hi."]]);
    expect(tokensByModel(old)).toEqual({ "claude-sonnet-4-20250514": { input: 4, output: 2, cache_read: 0, cache_write: 0 } });
  });
});

describe("Gemini CLI transcripts", () => {
  const file = fixture("gemini/session-2026-04-23T12-00-g1.jsonl");

  it("count an upserted message's tokens once, in SPEC's four counts", async () => {
    const recs = await readAll(file, "gemini");
    expect(bySourceId(recs, "m2").map((r) => r.meta.tokens)).toEqual([{ input: 600, output: 30, cache_read: 400, cache_write: 0 }, undefined]);
    expect(tokensByModel(recs)).toEqual({ "gemini-3-flash": { input: 600 + 205 + 1300, output: 30 + 8 + 4, cache_read: 1400, cache_write: 0 } });
  });

  it("mark what $rewindTo removed, read tool calls, results and failures", async () => {
    const recs = await readAll(file, "gemini");
    expect(recs.filter((r) => r.meta.rewound).map((r) => r.meta.source?.id)).toEqual(["m4", "m5"]);
    const [, withCall] = bySourceId(recs, "m2");
    expect(withCall.meta.text).toBe("run_shell_command(ls -la)\nrun_shell_command → README.md");
    expect(withCall.meta.thinking).toBe("Planning\nList them.");
    expect(bySourceId(recs, "m5")[0].meta).toMatchObject({ error: true, text: "run_shell_command(rm README.md)\nrun_shell_command → permission denied" });
    expect(recs.filter((r) => r.meta.source?.type.startsWith("$")).map((r) => r.meta.text)).toEqual([
      "metadata: lastUpdated",
      "rewound to before message m4",
    ]);
    expect(recs[0].meta).toMatchObject({ role: "system", source: { type: "session", id: "g1" } });
  });

  it("read the legacy single-object format: a record for the session, one per message, payloads their JSON", async () => {
    const recs = await legacyRecords(fixture("gemini/session-legacy.json"));
    const whole = JSON.parse(await fs.readFile(fixture("gemini/session-legacy.json"), "utf8"));
    expect(recs.map((r) => r.payload)).toEqual([{ ...whole, messages: undefined }, ...whole.messages].map((v) => JSON.parse(JSON.stringify(v))));
    expect(recs.slice(1).map((r) => JSON.parse(payloadText(r)))).toEqual(whole.messages);
    expect(recs.every((r) => !payloadText(r).includes("\n"))).toBe(true);
    expect(recs.map((r) => r.meta.source?.line)).toEqual([1, 2, 3]);
    expect(tokensByModel(recs)).toEqual({ "gemini-2.5-pro": { input: 700, output: 35, cache_read: 0, cache_write: 0 } });
  });
});

describe("Codex CLI rollouts", () => {
  const file = fixture("codex/rollout-2025-09-19T09-00-00-cx1.jsonl");

  it("count tokens from the running total (a repeated count adds nothing), under the turn's model", async () => {
    const recs = await readAll(file, "codex");
    expect(recs.filter((r) => r.meta.tokens).map((r) => r.meta.tokens)).toEqual([
      { input: 1000, output: 300, cache_read: 4000, cache_write: 0 },
      { input: 1000, output: 50, cache_read: 5000, cache_write: 0 },
    ]);
    expect(tokensByModel(recs)).toEqual({ "gpt-5-codex": { input: 2000, output: 350, cache_read: 9000, cache_write: 0 } });
  });

  it("read messages, reasoning, calls with their outputs and failures; echoes kept quietly", async () => {
    const recs = await readAll(file, "codex");
    const conversation = recs.filter((r) => r.meta.role !== "system").map((r) => [r.meta.role, r.meta.text, r.meta.error ?? false]);
    expect(conversation).toEqual([
      ["user", "bump the go version", false],
      ["assistant", "", false],
      ["assistant", "shell(bash -lc cat go.mod)", false],
      ["tool", "shell → cat: go.mod: No such file", true],
      ["assistant", "There is no go.mod here.", false],
    ]);
    expect(recs.find((r) => r.meta.source?.type === "response_item:reasoning")!.meta.thinking).toBe("Find go.mod first.");
    expect(recs.find((r) => r.meta.source?.type === "event_msg:user_message")!.meta.text).toBe("(user_message)");
    expect(recs.find((r) => r.meta.source?.type === "event_msg:patch_apply_end")!.meta.error).toBe(true);
    expect(recs.at(-1)!.meta).toMatchObject({ role: "system", text: "conversation compacted\nsummary", source: { type: "compacted" } });
  });
});

describe("any transcript", () => {
  it("leaves a torn last line until it is complete, then reads it once", async () => {
    const dir = await tmpDir();
    const file = path.join(dir, "t.jsonl");
    const [first, second] = (await fs.readFile(fixture("claude/old-1.0.jsonl"), "utf8")).split("\n");
    await fs.writeFile(file, `${first}\n${second.slice(0, 40)}`);
    const reader = new TranscriptReader(file, "claude");
    const fh = await fs.open(file, "r");
    const read = async () => {
      const out = [];
      for await (const b of reader.read(fh)) out.push(...b);
      return out;
    };
    expect((await read()).map((r) => r.meta.source?.line)).toEqual([1]);
    await fs.appendFile(file, `${second.slice(40)}\n`);
    const more = await read();
    await fh.close();
    expect(more.map((r) => r.meta.text)).toEqual(["Hi."]);
    expect(reader.position).toEqual({ offset: first.length + second.length + 2, line: 3 });
  });

  it("keeps a line that is not JSON as a text frame marked as an error", async () => {
    const dir = await tmpDir();
    const file = path.join(dir, "t.jsonl");
    await fs.writeFile(file, 'not json {\n{"type":"user","message":{"role":"user","content":"ok"}}\r\n');
    const recs = await readAll(file, "claude");
    expect(recs[0]).toMatchObject({ frames: [{ text: "not json {" }], meta: { error: true, source: { line: 1 } } });
    expect(recs[0][PAYLOAD_JSON]).toBeUndefined();
    expect(payloadText(recs[1])).toBe('{"type":"user","message":{"role":"user","content":"ok"}}');
  });

  it("never throws, whatever JSON a line holds", async () => {
    const dir = await tmpDir();
    const file = path.join(dir, "t.jsonl");
    const value = fc.anything({ maxDepth: 4, withNullPrototype: false });
    const shaped = fc.record({ type: fc.constantFrom("user", "assistant", "system", "response_item", "event_msg", "gemini"), message: value, payload: value, content: value, toolCalls: value, tokens: value, $set: value, uuid: fc.string() }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(value, shaped), { maxLength: 8 }), async (values) => {
        await fs.writeFile(file, values.map((v) => JSON.stringify(v) ?? "null").join("\n") + "\n");
        for (const format of FORMATS) expect((await readAll(file, format)).length).toBe(values.length);
      }),
      { numRuns: 60 },
    );
  });
});
