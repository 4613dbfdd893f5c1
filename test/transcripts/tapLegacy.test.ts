// Gemini CLI's legacy JSON transcript tapped live, with real processes: the agent stand-in rewrites the whole file
// (a new file renamed over it, once after leaving it torn in place); the recorder records each message once by its
// id, never the file's history from before the tap, and after a SIGKILL resumes without a duplicate or a gap.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readRecorderState } from "../../src/control/recorderStatus.ts";
import type { MessageRecord, SessionRecord } from "../../src/record.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { readSession, startRecorder } from "../recorder/support.ts";
import { startAgent } from "./tapAgent.ts";

const message = (id: string, text: string) => ({ id, type: id.startsWith("u") ? "user" : "gemini", timestamp: new Date().toISOString(), content: text });
const legacy = (...messages: object[]) => JSON.stringify({ sessionId: "g1", projectHash: "p1", startTime: "2026-01-01T00:00:00.000Z", messages }, null, 2);

async function tapped(logs: string): Promise<MessageRecord[]> {
  const recs = await readSession(logs).catch(() => [] as SessionRecord[]);
  return recs.filter((r): r is MessageRecord => r.kind === "message" && r.topic === "gemini_cli");
}

/** Waits until `text` is recorded; returns the milliseconds from `writtenAt`. */
async function seen(logs: string, text: string, writtenAt: number): Promise<number> {
  await waitFor(async () => (await tapped(logs)).some((r) => r.meta.text === text), { what: `"${text}" recorded`, intervalMs: 10 });
  return Date.now() - writtenAt;
}

describe("record --tap gemini: the legacy JSON file", () => {
  it("records each new message once by id as the file is rewritten, a torn write waited out, across a SIGKILL", { timeout: 60_000 }, async () => {
    const dir = await tmpDir();
    const chats = path.join(dir, "gemini", "p1", "chats");
    await fs.mkdir(chats, { recursive: true });
    const file = path.join(chats, "session-2026-01-01T00-00-g1.json");
    const history = message("u1", "history before the tap");
    await fs.writeFile(file, legacy(history));
    const logs = path.join(dir, "logs");
    const broker = await freeEndpoint();
    const args = ["--tap", `gemini=${path.join(dir, "gemini")}`, "--checkpoint-every", "0"];
    let recorder = await startRecorder(logs, broker, args);
    const agent = startAgent();

    const m = [history, message("g2", "first reply"), message("u3", "second prompt"), message("g4", "second reply")];
    expect(await seen(logs, "first reply", await agent.replace(file, legacy(...m.slice(0, 2))))).toBeLessThan(1000);
    expect(await seen(logs, "second prompt", await agent.replace(file, legacy(...m.slice(0, 3))))).toBeLessThan(1000);
    const later = path.join(chats, "session-2026-01-01T01-00-g2.json"); // a file that appears later is read whole
    await agent.replace(later, legacy(message("u1", "a new conversation")));
    await seen(logs, "a new conversation", 0);

    recorder.proc.kill("SIGKILL"); // the tap's state may not have been saved since the last records
    await recorder.exit;
    // While it is down the agent answers, and changes an earlier message (same id: already recorded).
    await agent.replace(file, legacy(...m.slice(0, 2), { ...m[2], content: "second prompt, edited" }, m[3]));
    recorder = await startRecorder(logs, broker, args);
    await seen(logs, "second reply", 0);
    const u5 = message("u5", "after the restart");
    await agent.replace(file, legacy(...m, u5), true); // left torn in place for a while first: read, and waited out
    await seen(logs, "after the restart", 0);

    const recs = await tapped(logs);
    const ofFile = recs.filter((r) => r.meta.source?.file === file).map((r) => r.meta.source!.id);
    expect(ofFile).toEqual(["g2", "u3", "g4", "u5"]);
    expect(recs.filter((r) => r.meta.source?.file === later).map((r) => r.meta.source!.id)).toEqual(["g1", "u1"]);
    const status = await waitFor(async () => {
      const s = (await readRecorderState(logs)).status;
      return s?.taps?.records === 2 ? s : null;
    }, { what: "the status to count the records since the restart" });
    expect(status.taps).toMatchObject({ records: 2, errors: 0 });
    recorder.proc.kill("SIGTERM");
    await recorder.exit;
  });
});
