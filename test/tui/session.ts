// Real sessions for the TUI tests, written by the real session writer.
import type { NewRecord } from "../../src/record.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";

export function chat(i: number, text = `hello number ${i}`): NewRecord {
  return {
    kind: "message",
    topic: "agents.chat",
    payload: { from: "alice", to: "bob", text, data: { n: i, list: [1, 2, 3] } },
    meta: { agent: "alice", recipient: "bob", ace_tier: 2, chain_type: "request", shl_tags: ["#demo"] },
  };
}

/** A session with `n` chat messages; the writer is returned open so a test can append more. */
export async function sessionWith(logsDir: string, n: number, text?: (i: number) => string): Promise<SessionWriter> {
  const writer = await SessionWriter.open(logsDir, { groupWindowMs: 1 });
  const recs: NewRecord[] = [];
  for (let i = 1; i <= n; i++) recs.push(chat(i, text?.(i)));
  if (recs.length > 0) await writer.appendMany(recs);
  return writer;
}
