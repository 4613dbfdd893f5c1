// How the last compaction of a logs folder went (`compact.json`, owner-only, replaced atomically): most runs start in
// the background after a seal, where no one sees their output, so `status` and the TUI's diagnostics read it here.
import path from "node:path";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { readPrivateFile } from "../storage/privateFile.ts";

export interface CompactionOutcome {
  at: string;
  ok: boolean;
  /** Sessions stored in a new form by the run, and those that could not be (each left as it was). */
  compacted: number;
  failed: Array<{ file: string; error: string }>;
  /** Why the run as a whole did not happen (bad settings, an unreadable folder). */
  error?: string;
}

export const COMPACT_STATE_FILE = "compact.json";

const stateFile = (logsDir: string) => path.join(logsPaths(logsDir).root, COMPACT_STATE_FILE);

export async function readLastCompaction(logsDir: string): Promise<CompactionOutcome | null> {
  try {
    const value = JSON.parse(await readPrivateFile(stateFile(logsDir))) as { last?: CompactionOutcome };
    return value.last && typeof value.last === "object" ? value.last : null;
  } catch {
    return null; // none yet, or unreadable: the next run writes it again
  }
}

export async function writeLastCompaction(logsDir: string, last: CompactionOutcome): Promise<void> {
  await writeFileAtomic(stateFile(logsDir), `${JSON.stringify({ last })}\n`);
}

/** The outcome as one line of `status` and the diagnostics. */
export function compactionText(last: CompactionOutcome | null): string {
  if (!last) return "compaction: none has run";
  if (last.error) return `compaction: the last one failed at ${last.at}: ${last.error}`;
  const failed = last.failed.map((f) => `${path.basename(f.file)}: ${f.error}`).join("; ");
  return `compaction: last at ${last.at}, ${last.compacted} stored${last.failed.length ? `, ${last.failed.length} failed: ${failed}` : ""}`;
}
