// `shearwater launch --agent NAME`: agent startup for agents in any language (docs/SPEC.md): a recorder up, the
// checkpoint menu on a terminal, the choice printed (as JSON with --json) with transcripts of the chosen conversation.
import type { Command } from "commander";
import { UsageError } from "../../config.ts";
import { PersistenceLauncher, type LaunchChoice } from "../../launcher/PersistenceLauncher.ts";
import type { MenuChoice } from "../../launcher/menuChoice.ts";
import { writeTranscript, type Transcript } from "../../launcher/transcript.ts";
import { sanitizeForTerminal, terminalLines } from "../../text/sanitize.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { tapFlag, type TapSpec } from "../../transcripts/tapSpec.ts";
import { brokersOf, logsDirOf, parseDuration, withBroker, withLogs, withTaps } from "../options.ts";

interface LaunchOpts {
  agent: string;
  json?: boolean;
  menu: boolean;
  keepRunning?: boolean;
  pid?: string;
  load?: string;
  new?: boolean;
  timeout: string;
  logs?: string;
  broker?: string[];
  tap?: TapSpec[];
}

export function register(program: Command): void {
  const cmd = program
    .command("launch")
    .description("agent startup: ensure a recorder, show the checkpoint menu on a terminal, print the choice")
    .requiredOption("--agent <name>", "the agent starting (e.g. claude_code)")
    .option("--json", "print the choice as JSON")
    .option("--no-menu", "never show the menu (the default when not on a terminal): continue the active session")
    .option("--load <checkpoint>", "load this checkpoint without a menu")
    .option("--new", "start a new session without a menu")
    .option("--keep-running", "keep the recorder running after this agent leaves, even when it is the last")
    .option("--pid <pid>", "the agent's process: when it is gone the agent counts as gone (default: the caller)")
    .option("--timeout <duration>", "how long to wait for the recorder to be ready", "20s");
  withTaps(withBroker(withLogs(cmd))).action(async (opts: LaunchOpts) => {
    if (opts.load && opts.new) throw new UsageError("--load and --new exclude each other");
    const launcher = new PersistenceLauncher({
      logsDir: logsDirOf(opts),
      broker: brokersOf(opts),
      menu: opts.menu && !opts.load && !opts.new ? undefined : false,
      choice: presetChoice(opts),
      keepRunning: opts.keepRunning,
      pid: agentPid(opts.pid),
      timeoutMs: parseDuration(opts.timeout),
      recorderArgs: (opts.tap ?? []).flatMap((spec) => ["--tap", tapFlag(spec)]),
    });
    const choice = await launcher.onAgentConnected(opts.agent);
    const transcript = await writeTranscript(launcher.logsDir, opts.agent, await choice.recentMessages(), {
      title: titleOf(choice),
    });
    const elsewhere = launcher.brokers.filter((b) => !choice.broker.endpoints.includes(b));
    if (!choice.recorder.started && elsewhere.length > 0) {
      warn(`the running recorder listens to ${choice.broker.endpoints.join(", ")}, not ${elsewhere.join(", ")}; stop it (shearwater stop) to change brokers`);
    }
    if (!choice.broker.connected) {
      warn(`broker unreachable at ${choice.broker.endpoints.join(", ")}; the recorder keeps trying and records once it is up`);
    }
    process.stdout.write(opts.json ? terminalJson(report(opts.agent, launcher.logsDir, choice, transcript)) + "\n" : human(choice, transcript));
  });
}

/** Endpoints come from the command line and the recorder's status file: shown made safe. */
function warn(text: string): void {
  process.stderr.write(`shearwater: warning: ${sanitizeForTerminal(text)}\n`);
}

function presetChoice(opts: LaunchOpts): MenuChoice | undefined {
  if (opts.load) return { action: "load", checkpoint: opts.load };
  if (opts.new) return { action: "new" };
  return undefined;
}

/** The launch command exits at once, so the agent is its caller unless told otherwise. */
function agentPid(flag: string | undefined): number {
  if (flag === undefined) return process.ppid;
  const pid = Number(flag);
  if (!Number.isInteger(pid) || pid <= 0) throw new UsageError(`bad --pid "${flag}" (expected a process id)`);
  return pid;
}

function titleOf(choice: LaunchChoice): string {
  if (choice.checkpoint) return `Conversation of checkpoint "${choice.checkpoint.label}" (${choice.checkpoint.id})`;
  return choice.action === "new" ? `New session ${choice.session}` : `Conversation of session ${choice.session}`;
}

function report(agent: string, logsDir: string, choice: LaunchChoice, transcript: Transcript) {
  const cp = choice.checkpoint;
  return {
    agent,
    action: choice.action,
    checkpoint: cp ? { id: cp.id, label: cp.label, created_at: cp.created_at, messages: cp.messages } : null,
    session: choice.session,
    logs_dir: logsDir,
    recorder: choice.recorder,
    broker: choice.broker,
    transcript,
  };
}

function human(choice: LaunchChoice, t: Transcript): string {
  const rec = `recorder pid ${choice.recorder.pid} (${choice.recorder.started ? "started" : "already running"})`;
  const what = choice.checkpoint ? `loaded checkpoint ${choice.checkpoint.id}` : choice.action === "new" ? "new session" : "continuing";
  const lines = [`${what}, session ${choice.session}, ${rec}`, `transcript (${t.messages} messages): ${t.markdown}`, `  as JSONL: ${t.jsonl}`];
  return terminalLines(lines);
}
