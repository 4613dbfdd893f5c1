// Every subcommand registers itself here; one file per command. Loading a command's module loads all that it runs
// (the recorder, the search index, ZeroMQ…), so a run loads only the modules it needs: the command it names, or the
// default one (the TUI); all of them for help or an unknown command, none for --version.
import type { Command } from "commander";
import { GLOBAL_VALUE_OPTIONS } from "../options.ts";

interface CommandModule {
  register(program: Command): void;
}

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  broker: () => import("./broker.ts"),
  record: () => import("./record.ts"),
  send: () => import("./send.ts"),
  status: () => import("./status.ts"),
  checkpoint: () => import("./checkpoint.ts"),
  launch: () => import("./launch.ts"),
  stop: () => import("./stop.ts"),
  demo: () => import("./demo.ts"),
  checkpoints: () => import("./checkpoints.ts"),
  tui: () => import("./tui.ts"),
  view: () => import("./view.ts"),
  search: () => import("./search.ts"),
  import: () => import("./import.ts"),
  export: () => import("./export.ts"),
  archive: () => import("./archive.ts"),
  compact: () => import("./compact.ts"),
  backup: () => import("./backup.ts"),
  restore: () => import("./restore.ts"),
  report: () => import("./report.ts"),
};

/** Registers the commands a run with these arguments needs. */
export async function registerCommands(program: Command, argv: string[]): Promise<void> {
  for (const module of await Promise.all(neededBy(argv).map((n) => COMMANDS[n]()))) module.register(program);
}

function neededBy(argv: string[]): string[] {
  const named = argv.find((a, i) => !a.startsWith("-") && !GLOBAL_VALUE_OPTIONS.includes(argv[i - 1]));
  if (named !== undefined && Object.hasOwn(COMMANDS, named)) return [named];
  if (named !== undefined || argv.some((a) => a === "-h" || a === "--help")) return Object.keys(COMMANDS);
  if (argv.some((a) => a === "-V" || a === "--version")) return [];
  return ["tui"];
}
