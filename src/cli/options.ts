// Options shared by several commands, declared once.
import { Command, Option } from "commander";
import { parseDuration, resolveBrokers, resolveLogsDir, UsageError } from "../config.ts";
import { parseTapSpec, type TapSpec } from "../transcripts/tapSpec.ts";

export function withLogs(cmd: Command): Command {
  return cmd.option("--logs <dir>", "logs folder (env SHEARWATER_LOGS)", undefined);
}

export function withBroker(cmd: Command): Command {
  return cmd.addOption(
    new Option("--broker <endpoint>", "broker endpoint to subscribe to, repeatable (env SHEARWATER_BROKER)")
      .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
  );
}

/** `--tap claude[=DIR]`, repeatable: the transcript folders a recorder follows live (`record`, and `launch` for the recorder it starts). */
export function withTaps(cmd: Command): Command {
  return cmd.addOption(
    new Option("--tap <agent[=dir]>", "also record claude, gemini or codex transcripts live from their folder (default ~/.claude/projects, ~/.gemini/tmp, ~/.codex/sessions), repeatable")
      .argParser((value: string, previous: TapSpec[] | undefined) => [...(previous ?? []), tapSpec(value)]),
  );
}

function tapSpec(text: string): TapSpec {
  try {
    return parseTapSpec(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The shared options that take a value, as they may also be written before the command. */
export const GLOBAL_VALUE_OPTIONS = ["--logs", "--broker"];

/**
 * `shearwater --logs DIR status` as well as `shearwater status --logs DIR`: the shared options are also the
 * program's, and before a command runs, those given before its name become its own (written after it, the command's
 * own value wins). One that the command does not take is bad usage rather than silently ignored.
 */
export function withGlobalOptions(program: Command): Command {
  withBroker(withLogs(program)).enablePositionalOptions();
  return program.hook("preAction", (_program, command) => {
    if (command === program) return;
    for (const option of program.options) {
      const key = option.attributeName();
      if (program.getOptionValueSource(key) !== "cli") continue;
      if (!command.options.some((o) => o.attributeName() === key)) {
        throw new UsageError(`${option.long} is not an option of \`shearwater ${command.name()}\``);
      }
      if (command.getOptionValueSource(key) !== "cli") command.setOptionValueWithSource(key, program.getOptionValue(key), "cli");
    }
  });
}

export function logsDirOf(opts: { logs?: string }): string {
  return resolveLogsDir(opts.logs);
}

export function brokersOf(opts: { broker?: string[] }): string[] {
  return resolveBrokers(opts.broker);
}

export { parseDuration };
