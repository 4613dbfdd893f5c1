// `shearwater checkpoints [--json]`: the checkpoints, newest first, and the active session above them.
import type { Command } from "commander";
import fs from "node:fs/promises";
import { listCheckpoints } from "../../storage/checkpoints.ts";
import { logsPaths } from "../../storage/logsDir.ts";
import { PrefixDigest } from "../../storage/prefixDigest.ts";
import { readSessionId } from "../../storage/sessionFile.ts";
import { logsDirOf, withLogs } from "../options.ts";

interface CurrentSession {
  session: string;
  messages: number;
  records: number;
  bytes: number;
  updated_at: string;
}

export function register(program: Command): void {
  const cmd = program
    .command("checkpoints")
    .description("list checkpoints, newest first (the active session first)")
    .option("--json", "print {current, checkpoints} as JSON");
  withLogs(cmd).action(async (opts: { json?: boolean; logs?: string }) => {
    const logsDir = logsDirOf(opts);
    const [current, checkpoints] = await Promise.all([currentSession(logsDir), listCheckpoints(logsDir, warnUnreadable)]);
    if (opts.json) {
      process.stdout.write(JSON.stringify({ current, checkpoints: checkpoints.map(({ file: _f, ...c }) => c) }, null, 2) + "\n");
      return;
    }
    if (current) process.stdout.write(line(current.updated_at, current.messages, current.bytes, `(current session ${current.session})`));
    for (const c of checkpoints) process.stdout.write(line(c.created_at, c.messages, c.bytes, c.label || c.id));
    if (!current && checkpoints.length === 0) process.stdout.write(`no sessions or checkpoints in ${logsDir}\n`);
  });
}

function warnUnreadable(file: string, reason: string): void {
  process.stderr.write(`shearwater: skipping unreadable checkpoint ${file}: ${reason}\n`);
}

/** `2025-11-30 10:00 | 2349 msgs | 1.20MB | label` (UTC). */
export function line(iso: string, messages: number, bytes: number, label: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} | ${messages} msgs | ${(bytes / 1024 / 1024).toFixed(2)}MB | ${label}\n`;
}

/** Counts the active session's messages by reading it (a checkpoint list is not a hot path). */
async function currentSession(logsDir: string): Promise<CurrentSession | null> {
  const file = logsPaths(logsDir).current;
  const stat = await fs.stat(file).catch(() => null);
  if (!stat || stat.size === 0) return null;
  // A session whose first line is not its `session_started` (damaged, or written by hand) is still listed.
  const session = (await readSessionId(file)) ?? "without id";
  const digest = new PrefixDigest();
  await digest.readFrom(file, stat.size);
  const { messages, lines } = digest.counts;
  return { session, messages, records: lines, bytes: stat.size, updated_at: stat.mtime.toISOString() };
}
