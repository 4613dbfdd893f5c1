// `recorder-down` is raised by whoever sees a recorder die first — the watchdog of a TUI, or the next recorder
// started on the folder — and cleared by the next recorder when it records. `recorder.down.json` (owner-only) holds
// the episode: creating it exclusively is what makes it fire once, however many processes notice.
import fs from "node:fs/promises";
import path from "node:path";
import { timestamp } from "../record.ts";
import { openPrivate, readPrivateFile } from "../storage/privateFile.ts";
import { runAlertCommand } from "./alertCommand.ts";
import type { AlertEvent } from "./alertSpec.ts";

export const RECORDER_DOWN_FILE = "recorder.down.json";

export interface DownRecorder {
  pid: number;
  reason: string;
  /** The `--alert-command` to run; none: the episode is only recorded (and shown). */
  command: string | null;
}

/** Fires the episode for `dead` unless it already fired (then returns it as it stands, for a banner). */
export async function raiseRecorderDown(logsDir: string, dead: DownRecorder, onError: (message: string) => void): Promise<AlertEvent> {
  const at = timestamp();
  const event: AlertEvent = {
    alert: "recorder-down", rule: "recorder-down", state: "firing", at, since: at,
    message: `recorder pid ${dead.pid} is down: ${dead.reason}`, logs_dir: logsDir, pid: dead.pid,
  };
  const file = path.join(logsDir, RECORDER_DOWN_FILE);
  const standing = await readEpisode(file);
  if (standing?.pid === dead.pid) return standing;
  if (standing) await fs.rm(file, { force: true }); // an older episode nobody cleared: this one replaces it
  try {
    const fh = await openPrivate(file, "wx");
    try {
      await fh.writeFile(JSON.stringify(event));
    } finally {
      await fh.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return (await readEpisode(file)) ?? event; // another process was first
    throw err;
  }
  if (dead.command) await runAlertCommand(dead.command, event, onError);
  return event;
}

/** Clears a standing episode (a recorder is recording again); null when there is none. */
export async function clearRecorderDown(logsDir: string, pid: number, command: string | null, onError: (message: string) => void): Promise<AlertEvent | null> {
  const file = path.join(logsDir, RECORDER_DOWN_FILE);
  const standing = await readEpisode(file);
  if (!standing) return null;
  await fs.rm(file, { force: true });
  const cleared: AlertEvent = {
    ...standing, state: "cleared", at: timestamp(), pid, message: `recorder pid ${pid} records again (pid ${standing.pid} was down since ${standing.since})`,
  };
  if (command) await runAlertCommand(command, cleared, onError);
  return cleared;
}

async function readEpisode(file: string): Promise<AlertEvent | null> {
  try {
    return JSON.parse(await readPrivateFile(file)) as AlertEvent;
  } catch {
    return null;
  }
}
