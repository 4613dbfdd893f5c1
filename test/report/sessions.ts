// Hand-made sessions with known answers for the report's tests: records written as a recorder writes them.
import fs from "node:fs/promises";
import path from "node:path";
import type { Meta } from "../../src/record.ts";

export const T0 = Date.parse("2026-11-24T10:00:00.000Z");

export interface MessageSpec {
  at: number;
  meta: Meta;
  payload?: Record<string, unknown>;
  topic?: string;
}

/** A session file of `session_started` and the messages (ts = T0 + at ms), owner-only, in a new logs folder. */
export async function writeSession(logsDir: string, messages: MessageSpec[], sessionId = "20261124T100000Z-test"): Promise<string> {
  await fs.mkdir(logsDir, { recursive: true, mode: 0o700 });
  const lines = [{ v: 1, seq: 1, ts: new Date(T0).toISOString(), kind: "event", event: "session_started", session: sessionId }];
  messages.forEach((m, i) =>
    lines.push({ v: 1, seq: i + 2, ts: new Date(T0 + m.at).toISOString(), kind: "message", topic: m.topic ?? "agents", payload: m.payload ?? {}, meta: m.meta } as never),
  );
  const file = path.join(logsDir, "current_session.jsonl");
  await fs.writeFile(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n", { mode: 0o600 });
  return file;
}

const ask = (at: number, id: string, from: string, to: string, tags: string[] = []): MessageSpec => ({
  at,
  payload: { id, sender: from, recipient: to, text: "?" },
  meta: { agent: from, recipient: to, ace_tier: 2, chain_type: "request", chain_id: id, ...(tags.length ? { shl_tags: tags } : {}) },
});
const answer = (at: number, id: string, from: string, asker: string): MessageSpec => ({
  at,
  payload: { id: `${id}-re`, reply_to: id, sender: from, recipient: asker },
  meta: { agent: from, recipient: asker, ace_tier: 3, chain_type: "response", chain_id: id },
});

/**
 * a asks b five times; b answers after 100, 300, 200, 400 and 1000 ms (p50 300, p95 1000). a asks c once, c answers
 * after 50 ms, then hands off to d in the same chain, and d reports an error. One broadcast without chain at 01:xx
 * the next hour.
 */
export const KNOWN: MessageSpec[] = [
  ask(0, "q1", "a", "b", ["deploy"]), answer(100, "q1", "b", "a"),
  ask(1000, "q2", "a", "b"), answer(1300, "q2", "b", "a"),
  ask(2000, "q3", "a", "b", ["deploy", "urgent"]), answer(2200, "q3", "b", "a"),
  ask(3000, "q4", "a", "b"), answer(3400, "q4", "b", "a"),
  ask(4000, "q5", "a", "b"), answer(5000, "q5", "b", "a"),
  ask(6000, "q6", "a", "c"), answer(6050, "q6", "c", "a"),
  { at: 7000, payload: { id: "h1", reply_to: "q6-re", sender: "c", recipient: "d", type: "handoff" }, meta: { agent: "c", recipient: "d", ace_tier: 2, chain_type: "handoff", chain_id: "q6" } },
  { at: 9000, payload: { id: "e1", reply_to: "h1", sender: "d", type: "error" }, meta: { agent: "d", ace_tier: 1, chain_type: "error", chain_id: "q6", shl_tags: ["error"] } },
  { at: 3_600_000, topic: "system", payload: { sender: "a", text: "bye" }, meta: { agent: "a", ace_tier: 3, chain_type: "broadcast" } },
];
