// Rewinds seen by a live tap, with real processes: a recorder tapping Claude Code and Gemini CLI folders while an
// agent stand-in appends to its transcripts. A rewind becomes known only from a later line, so the tap appends a
// `transcript_rewound` event naming the records it took back; after a restart it names none of them again.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EventRecord, MessageRecord, SessionRecord } from "../../src/record.ts";
import { RewoundMarks } from "../../src/transcripts/rewindEvent.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { eventsOf, readSession, startRecorder } from "../recorder/support.ts";
import { startAgent } from "./tapAgent.ts";
import { claudeLine } from "./claudeTap.ts";

const ts = () => new Date().toISOString();
const gemini = (id: string, type: "user" | "gemini", text: string) => JSON.stringify({ id, type, timestamp: ts(), content: text });

async function session(logs: string): Promise<SessionRecord[]> {
  return readSession(logs).catch(() => []);
}

async function recorded(logs: string, text: string): Promise<void> {
  await waitFor(async () => (await session(logs)).some((r) => r.kind === "message" && r.meta.text === text), { what: `"${text}" recorded`, intervalMs: 10 });
}

async function rewinds(logs: string, n: number): Promise<EventRecord[]> {
  return waitFor(async () => {
    const events = eventsOf(await session(logs), "transcript_rewound");
    return events.length >= n ? events : null;
  }, { what: `${n} rewind events` });
}

describe("record --tap: rewinds", () => {
  it("appends a transcript_rewound event naming the records a Claude Code rewind, a Gemini $rewindTo or $set took back, once", { timeout: 60_000 }, async () => {
    const dir = await tmpDir();
    const claudeDir = path.join(dir, "claude", "-home-u-proj");
    const geminiDir = path.join(dir, "gemini", "p1", "chats");
    await fs.mkdir(claudeDir, { recursive: true });
    await fs.mkdir(geminiDir, { recursive: true });
    const logs = path.join(dir, "logs");
    const broker = await freeEndpoint();
    const args = ["--tap", `claude=${path.join(dir, "claude")}`, "--tap", `gemini=${path.join(dir, "gemini")}`, "--checkpoint-every", "0"];
    let recorder = await startRecorder(logs, broker, args);
    const agent = startAgent();

    const cc = path.join(claudeDir, "s.jsonl");
    await agent.append(cc, claudeLine("u1", null, "user", "first question"));
    await agent.append(cc, claudeLine("a1", "u1", "assistant", "first answer"));
    await agent.append(cc, claudeLine("u2", "a1", "user", "a question taken back"));
    await agent.append(cc, claudeLine("a2", "u2", "assistant", "an answer taken back"));
    await recorded(logs, "an answer taken back");
    expect(eventsOf(await session(logs), "transcript_rewound")).toEqual([]);
    await agent.append(cc, claudeLine("u3", "a1", "user", "asked again from the first answer")); // the rewind
    const [claudeEvent] = await rewinds(logs, 1);
    expect(claudeEvent).toMatchObject({ format: "claude", file: cc, at: "a1", lines: [3, 4], ids: ["u2", "a2"] });

    const gm = path.join(geminiDir, "session-2026-01-01T00-00-x.jsonl");
    await agent.append(gm, JSON.stringify({ sessionId: "g1", projectHash: "p1", startTime: ts(), kind: "main" }));
    await agent.append(gm, gemini("m1", "user", "hello"));
    await agent.append(gm, gemini("m2", "gemini", "reply taken back"));
    await agent.append(gm, gemini("m3", "user", "prompt taken back"));
    await recorded(logs, "prompt taken back");
    await agent.append(gm, JSON.stringify({ $rewindTo: "m2" }));
    const [, geminiEvent] = await rewinds(logs, 2);
    expect(geminiEvent).toMatchObject({ format: "gemini", file: gm, at: "m2", lines: [3, 4], ids: ["m2", "m3"] });
    // A `$set` of the history that leaves a message out takes it back too (with no message gone back to).
    await agent.append(gm, gemini("m5", "user", "left out of the history"));
    await recorded(logs, "left out of the history");
    await agent.append(gm, JSON.stringify({ $set: { messages: [JSON.parse(gemini("m1", "user", "hello"))] } }));
    const [, , setEvent] = await rewinds(logs, 3);
    expect(setEvent).toMatchObject({ format: "gemini", file: gm, lines: [6], ids: ["m5"] });
    expect(setEvent.at).toBeUndefined();

    // A reader applies the events to the records they name, those before and after it alike.
    const marks = new RewoundMarks();
    const recs = await session(logs);
    for (const r of recs) marks.see(r);
    for (const r of recs) marks.mark(r);
    const rewound = recs.filter((r): r is MessageRecord => r.kind === "message" && r.meta.rewound === true).map((r) => r.meta.text);
    expect(rewound).toEqual(["a question taken back", "an answer taken back", "reply taken back", "prompt taken back", "left out of the history"]);

    // After a restart (a SIGKILL: the tap's state may not have been saved since the events) the files are read again
    // from their first line, their rewinds found again, and none named a second time.
    recorder.proc.kill("SIGKILL");
    await recorder.exit;
    recorder = await startRecorder(logs, broker, args);
    await agent.append(cc, claudeLine("a3", "u3", "assistant", "after the restart"));
    await recorded(logs, "after the restart");
    await agent.append(cc, claudeLine("u4", "a1", "user", "rewound a second time")); // takes u3 and a3 back too
    const events = await rewinds(logs, 4);
    expect(events[3]).toMatchObject({ format: "claude", at: "a1", lines: [5, 6], ids: ["u3", "a3"] });
    recorder.proc.kill("SIGTERM");
    await recorder.exit;
    expect(eventsOf(await session(logs), "transcript_rewound")).toHaveLength(4);
  });
});
