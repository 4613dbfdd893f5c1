// `shearwater record`: the recorder in the foreground; SIGTERM / SIGINT stop it gracefully (final checkpoint).
import { Option, type Command } from "commander";
import { DEFAULT_CHECKPOINT_EVERY_MS, DEFAULT_MAX_MESSAGE_BYTES, MAX_MESSAGE_BYTES_LIMIT, parseBytes, parseDuration, UsageError } from "../../config.ts";
import { refuseBadAtRestSettings } from "../../crypto/atRestCheck.ts";
import { AlertRuleError, parseAlertRule, type AlertRule } from "../../recorder/alertSpec.ts";
import { installLastResort } from "../../recorder/lastResort.ts";
import { Recorder } from "../../recorder/recorder.ts";
import { defaultRules, loadRulesFile, RulesFileError, type CompiledRules } from "../../recorder/rulesFile.ts";
import { LockHeldError } from "../../storage/lock.ts";
import type { TapSpec } from "../../transcripts/tapSpec.ts";
import { brokersOf, logsDirOf, withBroker, withLogs, withTaps } from "../options.ts";

/** A signal's graceful stop ends within this (SPEC: exit within 5 s): writing still not done by then is cut short, and said. */
const STOP_DEADLINE_MS = 4_000;
/** If even the cut-short stop hangs (a release that never returns), the process leaves at this. */
const EXIT_DEADLINE_MS = 4_800;

interface RecordFlags {
  logs?: string;
  broker?: string[];
  topic?: string[];
  checkpointEvery: string;
  rules?: string;
  maxMessageBytes: string;
  tap?: TapSpec[];
  alert?: AlertRule[];
  alertCommand?: string;
}

/** A bad rules file is bad usage (exit 2), reported with its line and column. */
async function rulesFrom(file: string): Promise<CompiledRules> {
  try {
    return await loadRulesFile(file);
  } catch (err) {
    throw err instanceof RulesFileError ? new UsageError(err.message) : err;
  }
}

/** A bad --alert rule is bad usage (exit 2). */
function alertRule(text: string): AlertRule {
  try {
    return parseAlertRule(text);
  } catch (err) {
    throw err instanceof AlertRuleError ? new UsageError(err.message) : err;
  }
}

function messageLimit(text: string): number {
  const bytes = parseBytes(text);
  if (bytes > MAX_MESSAGE_BYTES_LIMIT) throw new UsageError(`--max-message-bytes ${text}: at most ${MAX_MESSAGE_BYTES_LIMIT / 1024 ** 2}MiB`);
  return bytes;
}

export function register(program: Command): void {
  const cmd = program
    .command("record")
    .description("run the recorder in the foreground: every broker message appended durably to the logs folder");
  withTaps(withBroker(withLogs(cmd)))
    .addOption(
      new Option("--topic <prefix>", "record only topics starting with this prefix, repeatable (default: all)").argParser(
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      ),
    )
    .option("--checkpoint-every <duration>", "automatic checkpoint interval, e.g. 30s, 5m; 0 = off", `${DEFAULT_CHECKPOINT_EVERY_MS / 60_000}m`)
    .option("--rules <file>", "enrichment rules (JSON) replacing the defaults, see docs/ENRICHMENT.md")
    .option("--max-message-bytes <size>", "larger messages are recorded as size + hash only", `${DEFAULT_MAX_MESSAGE_BYTES / 1024 ** 2}MiB`)
    .addOption(
      new Option("--alert <rule>", "alert on recorder-down, silence=10m, error-rate=5%[/5m], disk=90%, gap[=1m] or backup-age=1d: in the status and the TUI's banner, repeatable")
        .argParser((value: string, previous: AlertRule[] | undefined) => [...(previous ?? []), alertRule(value)]),
    )
    .option("--alert-command <cmd>", "run this shell command with the alert as JSON on stdin when an alert fires and when it clears")
    .action(async (flags: RecordFlags) => {
      const logsDir = logsDirOf(flags);
      const options = {
        logsDir,
        brokers: brokersOf(flags),
        topics: flags.topic ?? [],
        checkpointEveryMs: parseDuration(flags.checkpointEvery),
        maxMessageBytes: messageLimit(flags.maxMessageBytes),
        rules: flags.rules ? await rulesFrom(flags.rules) : defaultRules(),
        taps: flags.tap ?? [],
        alerts: { rules: flags.alert ?? [], ...(flags.alertCommand ? { command: flags.alertCommand } : {}) },
      };
      if (flags.alertCommand && !flags.alert?.length) throw new UsageError("--alert-command needs at least one --alert rule");
      await refuseBadAtRestSettings();
      // Over a file-size limit, a write must fail with EFBIG (kept in the writer's backlog, reported) instead of the
      // default action of SIGXFSZ, which kills the recorder.
      if (process.platform !== "win32") process.on("SIGXFSZ", () => {});
      let recorder: Recorder;
      try {
        recorder = await Recorder.start(options);
      } catch (err) {
        if (err instanceof LockHeldError) throw new Error(`${err.message}; stop it with \`shearwater stop\` first`);
        throw err;
      }
      const lastResort = installLastResort(logsDir, (err) => recorder.crashed(err));
      process.stderr.write(`shearwater: recording ${options.brokers.join(", ")} into ${logsDir} (pid ${process.pid})\n`);
      const stop = () => {
        setTimeout(() => {
          process.stderr.write("shearwater: the recorder did not stop in time; exiting\n");
          process.exit(1);
        }, EXIT_DEADLINE_MS).unref();
        void recorder.stop({ deadlineMs: STOP_DEADLINE_MS });
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      await recorder.stopped;
      process.removeListener("SIGTERM", stop);
      process.removeListener("SIGINT", stop);
      lastResort.remove();
      process.stderr.write("shearwater: recorder stopped\n");
    });
}
