// A transcript message in the detail: its thinking and a tool's result start folded to one dimmed line, which Enter
// opens and folds again; the text from the transcript is made inert before it is drawn.
import "./forceColor.ts";
import { describe, expect, it } from "vitest";
import type { Meta, NewRecord } from "../../src/record.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { cleanup, KEY, open } from "./appHarness.tsx";

/** A line drawn dimmed (with whatever other styles come with it). */
const dimmed = (text: string) => new RegExp(`\u001b\\[2m(?:\u001b\\[[\\d;]*m)*${text}`);

function transcriptMessage(meta: Meta, line: number): NewRecord {
  return {
    kind: "message",
    topic: "agent.claude_code",
    payload: { type: meta.role === "tool" ? "user" : "assistant", uuid: `u${line}` },
    meta: { agent: "agent.claude_code", source: { format: "claude", file: "/tmp/s.jsonl", line, offset: 0, length: 1, type: "assistant" }, ...meta },
  };
}

async function sessionOf(records: NewRecord[]): Promise<string> {
  const dir = await tmpDir();
  const writer = await SessionWriter.open(dir, { groupWindowMs: 1 });
  cleanup(() => writer.close());
  await writer.appendMany(records);
  return dir;
}

/** Moves the detail's cursor from its first line down to the line that holds `text`, and presses Enter there. */
async function enterOn(t: Awaited<ReturnType<typeof open>>, text: string): Promise<void> {
  const lines = t.frame().split("\n");
  const first = lines.findIndex((l) => l.startsWith("Message · seq"));
  const target = lines.findIndex((l) => l.includes(text));
  expect(target).toBeGreaterThan(first);
  for (let i = first; i < target; i++) await t.press("j");
  await t.press(KEY.enter);
}

describe("a transcript message in the detail", () => {
  it("shows its thinking folded and dimmed, opens it on Enter and folds it again", async () => {
    const thinking = "first I look at the tests\nthen at the code\nsecret plan \u001b[2J";
    const dir = await sessionOf([transcriptMessage({ role: "assistant", text: "The answer is 42.", thinking }, 1)]);
    const t = await open(dir, { columns: 100, rows: 30 });
    await t.see("The answer is 42.");
    await t.press(KEY.enter);
    await t.see("▸ thinking (3 lines)");
    expect(t.frame()).toContain("The answer is 42.");
    expect(t.frame()).not.toContain("then at the code");
    expect(t.styled()).toMatch(dimmed("▸ thinking"));

    await enterOn(t, "▸ thinking");
    await t.see("▾ thinking (3 lines)");
    await t.see("then at the code");
    await t.see("secret plan ␛[2J");
    expect(t.styled()).toMatch(dimmed("then at the code"));
    expect(t.styled()).not.toContain("\u001b[2J");
    await t.press("j", KEY.enter); // on a line inside the open section: folds it whole
    await t.see("▸ thinking (3 lines)");
    await t.waitGone("then at the code");
  });

  it("shows a tool's result folded, opens it on Enter", async () => {
    const result = "Bash → On branch main\nnothing to commit, working tree clean";
    const dir = await sessionOf([
      transcriptMessage({ role: "assistant", text: "Bash(git status)", tool_calls: [{ name: "Bash", summary: "git status" }] }, 1),
      transcriptMessage({ role: "tool", text: result }, 2),
    ]);
    const t = await open(dir, { columns: 100, rows: 30 });
    await t.see("Bash(git status)");
    await t.press(KEY.enter);
    await t.see("▸ tool result (2 lines)");
    expect(t.frame()).not.toContain("nothing to commit");
    await enterOn(t, "▸ tool result");
    await t.see("▾ tool result (2 lines)");
    await t.see("Bash → On branch main");
    await t.see("nothing to commit, working tree clean");
  });
});
