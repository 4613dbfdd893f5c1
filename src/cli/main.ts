// The `shearwater` executable: one program, subcommands, exit codes 0 / 1 / 2 (docs/SPEC.md).
import { Command, CommanderError } from "commander";
import { UsageError } from "../config.ts";
import { sanitizeForTerminal } from "../text/sanitize.ts";
import { registerCommands } from "./commands/index.ts";
import { withGlobalOptions } from "./options.ts";
import { version } from "./version.ts";

/** The program with the commands that `argv` needs (see registerCommands). */
export async function buildProgram(argv: string[]): Promise<Command> {
  const program = withGlobalOptions(new Command("shearwater"))
    .description("Keeps multi-agent AI conversations safe and findable.")
    .version(version, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(safeText(text)) });
  await registerCommands(program, argv);
  return program;
}

/** Runs the CLI and returns the exit code instead of exiting, so tests and embedders can call it. */
export async function runCli(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") {
        return 0;
      }
      return 2; // commander already printed the problem and the hint
    }
    if (err instanceof UsageError) {
      process.stderr.write(`shearwater: ${safeText(err.message)}\n(run with --help for usage)\n`);
      return 2;
    }
    process.stderr.write(`shearwater: ${safeText(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
}

/** Error messages quote what the user typed and what files hold; their lines are kept, nothing else acts. */
function safeText(text: string): string {
  return sanitizeForTerminal(text, { keepNewlines: true });
}
