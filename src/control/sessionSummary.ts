// The active session's counts without reading the session through: what the recorder's status file or the newest
// checkpoint of the session already says, plus the lines written since (a second's worth, or since that checkpoint).
import fs from "node:fs/promises";
import { listCheckpoints } from "../storage/checkpoints.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { PrefixDigest } from "../storage/prefixDigest.ts";
import { readSessionId } from "../storage/sessionFile.ts";
import { readRecorderStatus } from "./recorderStatus.ts";

export interface SessionSummary {
  session: string;
  messages: number;
  records: number;
  bytes: number;
  updated_at: string;
}

/** Counts of the session's first `bytes` bytes, known without reading them. */
interface KnownPrefix {
  bytes: number;
  records: number;
  messages: number;
}

/** The active session (`current_session.jsonl`), or null when there is none or it is empty. */
export async function currentSessionSummary(logsDir: string): Promise<SessionSummary | null> {
  const file = logsPaths(logsDir).current;
  const stat = await fs.stat(file).catch(() => null);
  if (!stat || stat.size === 0) return null;
  // A session whose first line is not its `session_started` (damaged, or written by hand) is still listed.
  const session = (await readSessionId(file)) ?? "without id";
  const known = await knownPrefix(logsDir, session, stat.size);
  const digest = PrefixDigest.after({ bytes: known.bytes, lines: known.records, messages: known.messages });
  await digest.readFrom(file, stat.size);
  const { lines, messages } = digest.counts;
  return { session, messages, records: lines, bytes: stat.size, updated_at: stat.mtime.toISOString() };
}

/** The longest prefix of the session whose counts are written down: by its recorder (once done counting) or a checkpoint. */
async function knownPrefix(logsDir: string, session: string, size: number): Promise<KnownPrefix> {
  const [status, checkpoints] = await Promise.all([readRecorderStatus(logsDir), listCheckpoints(logsDir)]);
  const known: KnownPrefix[] = checkpoints.filter((c) => c.session === session);
  if (status?.session.id === session && !status.session.counting) known.push(status.session);
  return known.filter((k) => k.bytes <= size).reduce((a, b) => (b.bytes > a.bytes ? b : a), { bytes: 0, records: 0, messages: 0 });
}
