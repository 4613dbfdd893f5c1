// The recorder process's last resort: an error nothing else caught (a bug, an exhausted resource) must not end
// recording silently. The recorder's status says `crashed` and why, what was received but not written is named,
// recorder.log gets the stack, and the process exits 1 — so a watchdog restarts it and a person can see what happened.
import { closeSync, constants, fstatSync, openSync, statSync, writeSync } from "node:fs";
import { timestamp } from "../record.ts";
import { logsPaths, PRIVATE_FILE_MODE } from "../storage/logsDir.ts";

export function installLastResort(logsDir: string, crashed: (err: unknown) => void): { remove(): void } {
  const handler = (err: unknown) => {
    try {
      crashed(err);
    } finally {
      const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
      const line = `${timestamp()} shearwater recorder ${process.pid} crashed: ${text}\n`;
      process.stderr.write(line);
      if (!stderrIs(logsPaths(logsDir).recorderLog)) appendToLog(logsPaths(logsDir).recorderLog, line);
      process.exit(1);
    }
  };
  process.on("uncaughtException", handler);
  process.on("unhandledRejection", handler);
  return {
    remove() {
      process.removeListener("uncaughtException", handler);
      process.removeListener("unhandledRejection", handler);
    },
  };
}

/** A recorder started in the background already writes its stderr to recorder.log: the stack goes there once. */
function stderrIs(file: string): boolean {
  try {
    const err = fstatSync(2);
    const log = statSync(file);
    return err.ino === log.ino && err.dev === log.dev;
  } catch {
    return false;
  }
}

function appendToLog(file: string, line: string): void {
  try {
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | (constants.O_NOFOLLOW ?? 0), PRIVATE_FILE_MODE);
    try {
      writeSync(fd, line);
    } finally {
      closeSync(fd);
    }
  } catch {
    // stderr has it: nothing more can be done on the way out
  }
}
