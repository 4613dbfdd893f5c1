// Options shared by several commands, declared once.
import { Command, Option } from "commander";
import { parseDuration, resolveBrokers, resolveLogsDir } from "../config.ts";

export function withLogs(cmd: Command): Command {
  return cmd.option("--logs <dir>", "logs folder (env SHEARWATER_LOGS)", undefined);
}

export function withBroker(cmd: Command): Command {
  return cmd.addOption(
    new Option("--broker <endpoint>", "broker endpoint to subscribe to, repeatable (env SHEARWATER_BROKER)")
      .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
  );
}

export function logsDirOf(opts: { logs?: string }): string {
  return resolveLogsDir(opts.logs);
}

export function brokersOf(opts: { broker?: string[] }): string[] {
  return resolveBrokers(opts.broker);
}

export { parseDuration };
