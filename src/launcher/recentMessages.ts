// The last messages of a conversation, read from its end backwards: the context handed to an agent costs the same
// on a session of a thousand messages and of a million.
import { isMessage, type MessageRecord } from "../record.ts";
import { completeEnd, scanBackwards } from "../storage/backwardScanner.ts";
import { openSessionSource } from "../storage/sessionSource.ts";

export interface RecentMessages {
  /** The last messages, oldest first. */
  messages: MessageRecord[];
  /** Their lines exactly as stored (a transcript copies them byte for byte). */
  lines: string[];
  /** Messages in the whole conversation (more than `messages` holds when it was cut). */
  total: number;
}

/** The last `limit` message records, and their lines, among the complete lines before byte `end` (default: the file's end). */
export async function lastMessagesOf(file: string, limit: number, end?: number): Promise<Omit<RecentMessages, "total">> {
  const fh = await openSessionSource(file);
  try {
    const messages: MessageRecord[] = [];
    const lines: string[] = [];
    if (limit <= 0) return { messages, lines };
    for await (const entry of scanBackwards(fh, end ?? (await completeEnd(fh, (await fh.stat()).size)), -1)) {
      const record = entry.record; // a damaged line is no context: left out, as a forward read does
      if (!record || !isMessage(record)) continue;
      lines.push(entry.raw);
      if (messages.push(record) >= limit) break;
    }
    return { messages: messages.reverse(), lines: lines.reverse() };
  } finally {
    await fh.close();
  }
}
