// Compaction after a session is sealed, in a detached child process at the lowest priority: the recorder's durable
// path and the TUI never wait for it, and a compaction already running (its lock) makes the child exit at once.
// SHEARWATER_AUTO_COMPACT=off turns compression off (`shearwater compact` still compresses when asked); with
// encryption at rest set in the environment the child still runs, to encrypt the sealed session as it is. It
// inherits the environment, encryption's settings included: the recorder itself never needs a key. Its stderr is the
// logs folder's recorder.log, where what failed is written (and `status` shows the last run, compactState.ts).
import { spawn } from "node:child_process";
import { closeSync } from "node:fs";
import os from "node:os";
import { selfCommand } from "../cli/selfCommand.ts";
import { encryptionInEnvironment } from "../crypto/atRestEnv.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { openPrivateSync } from "../storage/privateFile.ts";

export function autoCompactEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !["0", "off", "false", "no"].includes((env.SHEARWATER_AUTO_COMPACT ?? "").trim().toLowerCase());
}

/** Starts `shearwater compact` on the logs folder in the background, unless it has nothing to do. Never throws. */
export function compactInBackground(logsDir: string): void {
  const compress = autoCompactEnabled();
  if (!compress && !encryptionInEnvironment()) return;
  const log = openLog(logsDir);
  try {
    const { command, args } = selfCommand(["compact", "--logs", logsDir, "--quiet", ...(compress ? [] : ["--no-compress"])]);
    const child = spawn(command, args, { detached: true, stdio: ["ignore", "ignore", log ?? "ignore"] });
    child.on("error", () => {}); // compaction is a saving of space; the sessions are safe without it
    if (child.pid) os.setPriority(child.pid, os.constants.priority.PRIORITY_LOW);
    child.unref();
  } catch {
    // as above
  } finally {
    if (log !== null) closeSync(log);
  }
}

/** recorder.log, appended to (never through a link); null when it cannot be opened, and the child's stderr goes nowhere. */
function openLog(logsDir: string): number | null {
  try {
    return openPrivateSync(logsPaths(logsDir).recorderLog, "a");
  } catch {
    return null;
  }
}

/** `sealing` (a new session or a load, which seal the active one), then compaction in the background. */
export async function compactAfter<T>(logsDir: string, sealing: Promise<T>): Promise<T> {
  const result = await sealing;
  compactInBackground(logsDir);
  return result;
}
