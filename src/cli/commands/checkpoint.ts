// `shearwater checkpoint [LABEL]`: through the running recorder, or straight on the files when none runs.
import type { Command } from "commander";
import { NoRecorderError, sendControl } from "../../control/client.ts";
import { createCheckpoint, snapshotOfFile, type CheckpointInfo } from "../../storage/checkpoints.ts";
import { acquireLock } from "../../storage/lock.ts";
import { sanitizeForTerminal } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { logsDirOf, withLogs } from "../options.ts";

async function checkpointWithoutRecorder(logsDir: string, label: string): Promise<CheckpointInfo> {
  const lock = await acquireLock(logsDir); // a recorder that holds it but does not answer is named in the error
  try {
    return await createCheckpoint(logsDir, await snapshotOfFile(logsDir), label);
  } finally {
    await lock.release();
  }
}

export function register(program: Command): void {
  const cmd = program
    .command("checkpoint")
    .description("take a checkpoint of the active session now")
    .argument("[label]", "a label for it", "manual")
    .option("--json", "print the checkpoint as JSON");
  withLogs(cmd).action(async (label: string, opts: { logs?: string; json?: boolean }) => {
    const logsDir = logsDirOf(opts);
    let info: CheckpointInfo;
    try {
      info = (await sendControl(logsDir, "checkpoint", { label })) as CheckpointInfo;
    } catch (err) {
      if (!(err instanceof NoRecorderError)) throw err;
      info = await checkpointWithoutRecorder(logsDir, label);
    }
    process.stdout.write(opts.json ? terminalJson(info) + "\n" : `checkpoint ${sanitizeForTerminal(info.id)}: ${info.messages} messages, ${info.bytes} bytes\n`);
  });
}
