// What the recorder's own status says is wrong, for the TUI's banner: it crashed, an --alert is firing, its writes
// fail, or it reported an error (a failed checkpoint, a status file it could not write) in the last minute.
import type { RecorderState } from "../src/control/recorderStatus.ts";

/** An error newer than this is still news. */
const RECENT_MS = 60_000;

export function recorderAlert(recorder: RecorderState | null, now = Date.now()): string | null {
  const status = recorder?.status;
  if (!status) return null;
  const last = status.errors.at(-1);
  if (status.state === "crashed") return `recorder crashed: ${last?.message.split("\n")[0] ?? "no reason given"}`;
  if (!recorder.alive) return null;
  const firing = status.alerts?.active ?? [];
  if (firing.length) return `alert ${firing.map((a) => `${a.rule}: ${a.message}`).join(" · ")}`;
  if (status.state === "degraded") return `recorder: writes failing, ${status.backlog_bytes} bytes waiting${last ? ` — ${last.message}` : ""}`;
  if (last && now - Date.parse(last.at) < RECENT_MS) return `recorder: ${last.message.split("\n")[0]}`;
  return null;
}
