// Compaction after a session is sealed, in a detached child process at the lowest priority: the recorder's durable
// path and the TUI never wait for it, and a compaction already running (its lock) makes the child exit at once.
// SHEARWATER_AUTO_COMPACT=off turns it off (`shearwater compact` still compresses when asked).
import { spawn } from "node:child_process";
import os from "node:os";
import { selfCommand } from "../cli/selfCommand.ts";

export function autoCompactEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !["0", "off", "false", "no"].includes((env.SHEARWATER_AUTO_COMPACT ?? "").trim().toLowerCase());
}

/** Starts `shearwater compact` on the logs folder in the background, unless turned off. Never throws. */
export function compactInBackground(logsDir: string): void {
  if (!autoCompactEnabled()) return;
  try {
    const { command, args } = selfCommand(["compact", "--logs", logsDir, "--quiet"]);
    const child = spawn(command, args, { detached: true, stdio: "ignore" });
    child.on("error", () => {}); // compaction is a saving of space; the sessions are safe without it
    if (child.pid) os.setPriority(child.pid, os.constants.priority.PRIORITY_LOW);
    child.unref();
  } catch {
    // as above
  }
}

/** `sealing` (a new session or a load, which seal the active one), then compaction in the background. */
export async function compactAfter<T>(logsDir: string, sealing: Promise<T>): Promise<T> {
  const result = await sealing;
  compactInBackground(logsDir);
  return result;
}
