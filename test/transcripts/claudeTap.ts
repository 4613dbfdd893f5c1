// A Claude Code conversation a real recorder taps, for the tests of rewinds: an agent stand-in (tapAgent.ts) writes
// a question and its answer, then a second question and answer; `rewind()` sends a prompt from the first answer,
// which takes the second pair out of the conversation (the tap appends its transcript_rewound event).
import fs from "node:fs/promises";
import path from "node:path";
import { freeEndpoint } from "../helpers/ports.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { eventsOf, readSession, startRecorder, type RecorderChild } from "../recorder/support.ts";
import { startAgent } from "./tapAgent.ts";

/** A line of a Claude Code transcript as the agent writes it: a prompt or an answer, in a tree by parentUuid. */
export function claudeLine(uuid: string, parentUuid: string | null, type: "user" | "assistant", text: string, timestamp = new Date().toISOString()): string {
  const message = type === "user" ? { role: "user", content: text } : { role: "assistant", model: "m", id: `msg_${uuid}`, content: [{ type: "text", text }] };
  return JSON.stringify({ type, uuid, parentUuid, sessionId: "s", timestamp, message });
}

/** The second question and its answer, which the rewind takes back. */
export const TAKEN_BACK = ["a question taken back", "an answer taken back"];

export async function recorded(logs: string, text: string): Promise<void> {
  await waitFor(async () => (await readSession(logs).catch(() => [])).some((r) => r.kind === "message" && r.meta.text === text), { what: `"${text}" recorded`, intervalMs: 10 });
}

/** A recorder into `dir/logs` tapping `dir/claude`, the four messages recorded. `stop()` ends the recorder. */
export async function tappedConversation(dir: string): Promise<{ logs: string; recorder: RecorderChild; rewind: () => Promise<void>; stop: () => Promise<void> }> {
  const projects = path.join(dir, "claude");
  await fs.mkdir(path.join(projects, "-home-u-proj"), { recursive: true });
  const cc = path.join(projects, "-home-u-proj", "s.jsonl");
  const logs = path.join(dir, "logs");
  const recorder = await startRecorder(logs, await freeEndpoint(), ["--tap", `claude=${projects}`, "--checkpoint-every", "0"]);
  const stop = async () => {
    recorder.proc.kill("SIGTERM");
    await recorder.exit;
  };
  try {
    const agent = startAgent();
    await agent.append(cc, claudeLine("u1", null, "user", "first question"));
    await agent.append(cc, claudeLine("a1", "u1", "assistant", "first answer"));
    await agent.append(cc, claudeLine("u2", "a1", "user", TAKEN_BACK[0]));
    await agent.append(cc, claudeLine("a2", "u2", "assistant", TAKEN_BACK[1]));
    await recorded(logs, TAKEN_BACK[1]);
    const rewind = async () => {
      await agent.append(cc, claudeLine("u3", "a1", "user", "asked again from the first answer"));
      await waitFor(async () => eventsOf(await readSession(logs), "transcript_rewound").length === 1 || null, { what: "the rewind event" });
    };
    return { logs, recorder, rewind, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
