// Small session files with known contents, written as the recorder writes them (one record per line).
import fs from "node:fs/promises";
import path from "node:path";
import { ensureLogsDir } from "../../src/storage/logsDir.ts";

export interface Msg {
  from: string;
  to?: string;
  text: string;
  /** Minutes after the session's start. */
  at: number;
  topic?: string;
  tier?: 1 | 2 | 3;
  chain?: "request" | "response" | "handoff" | "broadcast" | "error" | "system";
  tags?: string[];
  type?: string;
}

export const SESSION_ID = "20261124T000000Z-test";

export function sessionStarted(session: string, start: number): string {
  return JSON.stringify({ v: 1, seq: 1, ts: new Date(start).toISOString(), kind: "event", event: "session_started", session });
}

export function messageLine(m: Msg, seq: number, start: number): string {
  return JSON.stringify({
    v: 1,
    seq,
    ts: new Date(start + m.at * 60_000).toISOString(),
    kind: "message",
    topic: m.topic ?? "agents.chat",
    payload: { sender: m.from, ...(m.to ? { recipient: m.to } : {}), ...(m.type ? { type: m.type } : {}), text: m.text },
    meta: {
      agent: m.from,
      ...(m.to ? { recipient: m.to } : {}),
      ace_tier: m.tier ?? 3,
      chain_type: m.chain ?? "broadcast",
      shl_tags: m.tags ?? [],
    },
  });
}

/** Writes `current_session.jsonl`: session_started, then the messages (seq 2, 3, …). Returns the file. */
export async function writeSession(logsDir: string, msgs: Msg[], start: number, session = SESSION_ID): Promise<string> {
  const p = await ensureLogsDir(logsDir);
  const lines = [sessionStarted(session, start), ...msgs.map((m, i) => messageLine(m, i + 2, start))];
  await fs.writeFile(p.current, lines.map((l) => `${l}\n`).join(""));
  return p.current;
}

export async function appendMessages(file: string, msgs: Msg[], firstSeq: number, start: number): Promise<void> {
  await fs.appendFile(file, msgs.map((m, i) => `${messageLine(m, firstSeq + i, start)}\n`).join(""));
}

export function indexFile(logsDir: string): string {
  return path.join(logsDir, "metadata_index", "index.sqlite");
}
