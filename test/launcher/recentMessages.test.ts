// The transcript's messages are read from the conversation's end backwards, never from its start.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lastMessagesOf } from "../../src/launcher/recentMessages.ts";
import { tmpDir } from "../helpers/tmp.ts";

const HOLE = 256 * 2 ** 20;
const line = (seq: number, kind: "message" | "event", text: string) =>
  JSON.stringify(kind === "message"
    ? { v: 1, seq, ts: "2026-11-24T01:00:00.000Z", kind, topic: "chat", payload: { text }, meta: {} }
    : { v: 1, seq, ts: "2026-11-24T01:00:00.000Z", kind, event: text }) + "\n";

/** A session file whose start is a 256 MiB line of zero bytes (a sparse hole: no disk used), which a read of the
 * whole file takes more than a second to get through here, followed by the conversation's last lines. */
async function sessionBehindHugeLine(tail: string[]): Promise<string> {
  const file = path.join(await tmpDir(), "current_session.jsonl");
  const fh = await fs.open(file, "w", 0o600);
  await fh.write(line(1, "event", "session_started"));
  await fh.truncate(HOLE);
  await fh.write("\n" + tail.join(""), HOLE);
  await fh.close();
  return file;
}

describe("the last messages of a conversation", () => {
  it("come from the end, oldest first, events and damaged lines left out, without reading the start", async () => {
    const file = await sessionBehindHugeLine([
      line(2, "message", "one"), line(3, "event", "broker_connected"), "{damaged\n", line(4, "message", "two"),
      line(5, "message", "three"), '{"v":1,"seq":6,"kind":"mess',
    ]);
    const t0 = performance.now();
    const texts = (await lastMessagesOf(file, 3)).messages.map((m) => (m.payload as { text: string }).text);
    expect(texts).toEqual(["one", "two", "three"]);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it("stop at a checkpoint's end, and give what there is when the conversation is shorter than asked", async () => {
    const lines = [line(1, "event", "session_started"), line(2, "message", "a"), line(3, "message", "b"), line(4, "message", "c")];
    const file = path.join(await tmpDir(), "s.jsonl");
    await fs.writeFile(file, lines.join(""), { mode: 0o600 });
    const end = Buffer.byteLength(lines.slice(0, 3).join(""));
    const recent = await lastMessagesOf(file, 10, end);
    expect(recent.messages.map((m) => m.seq)).toEqual([2, 3]);
    expect(recent.lines).toEqual(lines.slice(1, 3).map((l) => l.trimEnd())); // as stored
    expect(await lastMessagesOf(file, 0)).toEqual({ messages: [], lines: [] });
  });
});
