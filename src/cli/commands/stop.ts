// `shearwater stop [--agent NAME]`: agent shutdown, the other end of `launch`. With --agent, that agent leaves and
// the recorder stops only when no agent remains; without, the recorder stops now. Always graceful: it says which
// checkpoint covers the conversation afterwards (the final one it took, or the one there already was).
import type { Command } from "commander";
import { readRecorderState } from "../../control/recorderStatus.ts";
import { checkAgentName } from "../../launcher/agentName.ts";
import { describeFinalCheckpoint, finalCheckpointOf } from "../../launcher/finalCheckpoint.ts";
import { disconnectAgents } from "../../launcher/PersistenceLauncher.ts";
import { stopRecorder } from "../../launcher/recorderProcess.ts";
import { sanitizeForTerminal } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { logsDirOf, withLogs } from "../options.ts";

export function register(program: Command): void {
  const cmd = program
    .command("stop")
    .description("agent shutdown: stop the recorder gracefully with a final checkpoint")
    .option("--agent <name>", "only this agent leaves; the recorder stops when it was the last")
    .option("--keep-running", "with --agent: leave the recorder running even when it was the last")
    .option("--json", "print the outcome as JSON: {stopped, remaining, final_checkpoint}");
  withLogs(cmd).action(async (opts: { agent?: string; keepRunning?: boolean; json?: boolean; logs?: string }) => {
    const logsDir = logsDirOf(opts);
    const agent = opts.agent === undefined ? undefined : checkAgentName(opts.agent); // `--agent ""` is not "all"
    const requestedAt = new Date();
    const outcome = agent
      ? await disconnectAgents(logsDir, (a) => a.name === agent, opts.keepRunning ?? false)
      : { stopped: (await stopRecorder(logsDir)) !== null, remaining: [] as string[] };
    const final = outcome.stopped ? await finalCheckpointOf(logsDir, requestedAt) : null;
    if (final?.outcome === "failed") process.exitCode = 1;
    if (opts.json) {
      process.stdout.write(terminalJson({ ...outcome, final_checkpoint: final }) + "\n");
    } else if (final) {
      process.stdout.write(`recorder stopped: ${sanitizeForTerminal(describeFinalCheckpoint(final))}\n`);
    } else if (outcome.remaining.length > 0) {
      process.stdout.write(`recorder left running: still connected: ${sanitizeForTerminal(outcome.remaining.join(", "))}\n`);
    } else if ((await readRecorderState(logsDir)).alive) {
      process.stdout.write("recorder left running, as --keep-running asked\n");
    } else {
      process.stdout.write(`no recorder is running in ${sanitizeForTerminal(logsDir)}: nothing to stop\n`);
    }
  });
}
