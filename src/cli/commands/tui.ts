// `shearwater` / `shearwater tui`: the full-screen TUI (the default command). The Ink UI lives in components/ and
// is loaded only when this command runs, so every other command starts without React and Ink.
import type { Command } from "commander";
import { brokersOf, logsDirOf, withBroker, withLogs } from "../options.ts";

export function register(program: Command): void {
  const cmd = program
    .command("tui", { isDefault: true })
    .description("the full-screen TUI: checkpoints, messages, search, diagnostics, live tail (the default command)")
    .option("--no-recorder", "only browse: do not start a recorder when none runs");
  withBroker(withLogs(cmd)).action(async (opts: { logs?: string; broker?: string[]; recorder: boolean }) => {
    process.env.NODE_ENV ??= "production"; // React's production build: several times less work per frame
    const ui = "../../../components/run.tsx";
    const { runTui } = (await import(ui)) as typeof import("../../../components/run.tsx");
    await runTui({ logsDir: logsDirOf(opts), brokers: brokersOf(opts), recorder: opts.recorder });
  });
}
