// Options shared by several commands, declared once.
import { Command, Option } from "commander";
import { parseDuration, resolveBrokers, resolveLogsDir, UsageError } from "../config.ts";

export function withLogs(cmd: Command): Command {
  return cmd.option("--logs <dir>", "logs folder (env SHEARWATER_LOGS)", undefined);
}

export function withBroker(cmd: Command): Command {
  return cmd.addOption(
    new Option("--broker <endpoint>", "broker endpoint to subscribe to, repeatable (env SHEARWATER_BROKER)")
      .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
  );
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
