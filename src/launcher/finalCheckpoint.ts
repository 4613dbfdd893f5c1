// What a graceful stop did about checkpoints, read from the recorder's last status once it has gone. Stopping, the
// recorder takes a checkpoint named "final" unless nothing was recorded since its last one; so its last checkpoint
// was either made after the stop was asked for (taken), or before (it already covered everything), or the attempt
// failed and the status says why. Times, not the status read before the stop: that may not show a checkpoint
// taken in the last second yet.
import { readRecorderState } from "../control/recorderStatus.ts";
import { readCheckpoint } from "../storage/checkpoints.ts";

export type FinalCheckpoint =
  | { outcome: "taken"; checkpoint: string }
  /** Nothing was recorded since this checkpoint of the session. */
  | { outcome: "covered"; checkpoint: string }
  /** Nothing was recorded since the session began (a load or new saved the one before as `checkpoint`). */
  | { outcome: "unchanged"; session: string; checkpoint: string | null }
  | { outcome: "failed"; reason: string };

/** `requestedAt`: just before the recorder was asked to stop. Call once its process has gone, so that its status
 * is the last it wrote. */
export async function finalCheckpointOf(logsDir: string, requestedAt: Date): Promise<FinalCheckpoint> {
  const after = (await readRecorderState(logsDir)).status;
  if (!after) return { outcome: "failed", reason: "the recorder left no status" };
  const last = after.last_checkpoint;
  const since = requestedAt.toISOString();
  if (last && last.created_at >= since) return { outcome: "taken", checkpoint: last.id };
  // The recorder reports a failed checkpoint among its errors ("final checkpoint failed: …").
  const failure = after.errors.filter((e) => e.at >= since && /checkpoint/i.test(e.message)).at(-1);
  if (failure) return { outcome: "failed", reason: failure.message };
  if (!last) return { outcome: "unchanged", session: after.session.id, checkpoint: null };
  const session = await readCheckpoint(logsDir, last.id).then((cp) => cp.session, () => null);
  if (session === after.session.id) return { outcome: "covered", checkpoint: last.id };
  return { outcome: "unchanged", session: after.session.id, checkpoint: last.id };
}

export function describeFinalCheckpoint(f: FinalCheckpoint): string {
  switch (f.outcome) {
    case "taken":
      return `final checkpoint ${f.checkpoint} taken`;
    case "covered":
      return `nothing new since checkpoint ${f.checkpoint}, which covers everything recorded`;
    case "unchanged":
      return `nothing recorded since session ${f.session} began${f.checkpoint ? ` (the session before it is checkpoint ${f.checkpoint})` : ""}`;
    case "failed":
      return `no final checkpoint: ${f.reason}`;
  }
}
