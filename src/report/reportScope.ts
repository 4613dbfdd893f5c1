// What a report covers: the active session (default), a session, a checkpoint's conversation, or every session of
// the logs folder; each read as a stream of lines, never whole.
import { UsageError, parseDuration } from "../config.ts";
import { sessionFilesOf, type LockedSession } from "../search/sessionFiles.ts";
import { readCheckpoint, sessionFileOf } from "../storage/checkpoints.ts";
import type { Entry } from "../storage/entry.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { readSessionId } from "../storage/sessionFile.ts";
import { streamBatches } from "../storage/sessionReader.ts";

export type ReportSource = "current" | "all" | { checkpoint: string } | { session: string };

export interface OpenedSource {
  what: string;
  sessions: string[];
  /** Encrypted sessions no key set here opens: not read. */
  leftOut?: LockedSession[];
  /** The lines a chunk at a time; each batch's text must be read before the next is asked for (the read buffer is used again). */
  batches: AsyncIterable<Entry[]>;
}

/** A session file's lines (its first `bytes` only, for a checkpoint), read through one buffer used again. */
function linesOf(file: string, bytes?: number): AsyncGenerator<Entry[]> {
  return streamBatches(file, { endOffset: bytes, reuseBuffer: true });
}

export async function openSource(logsDir: string, source: ReportSource): Promise<OpenedSource> {
  if (source === "current") {
    const file = logsPaths(logsDir).current;
    const id = await readSessionId(file).catch(() => null);
    return { what: "the active session", sessions: id ? [id] : [], batches: linesOf(file) };
  }
  if (source === "all") {
    const { files, locked } = await sessionFilesOf(logsDir);
    return { what: "all sessions", sessions: files.map((f) => f.session), leftOut: locked, batches: concat(files.map((f) => f.path)) };
  }
  if ("session" in source) return { what: `session ${source.session}`, sessions: [source.session], batches: linesOf(await sessionFileOf(logsDir, source.session)) };
  const cp = await readCheckpoint(logsDir, source.checkpoint);
  return { what: `checkpoint ${cp.id}`, sessions: [cp.session], batches: linesOf(await sessionFileOf(logsDir, cp.session), cp.bytes) };
}

async function* concat(files: string[]): AsyncGenerator<Entry[]> {
  for (const file of files) {
    try {
      yield* linesOf(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err; // a session sealed while listing moved on
    }
  }
}

/** `--since` / `--until`: an ISO time (`2026-11-24T10:00Z`) or an age (`30m`, `2h`, `3d`) before now. */
export function parseTimeFlag(text: string, flag: string, now = Date.now()): number {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  } else if (/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(text)) {
    return now - parseDuration(text);
  }
  throw new UsageError(`bad time "${text}" for ${flag} (use an ISO time like 2026-11-24T10:00Z or an age like 30m, 2h, 3d)`);
}
