// `shearwater` / `shearwater tui`: the full-screen TUI (the default command).
import type { Command } from "commander";
import { refuseBadAtRestSettings } from "../../crypto/atRestCheck.ts";
import { terminalUi } from "../../ui.ts";
import { brokersOf, logsDirOf, withBroker, withLogs } from "../options.ts";

export function register(program: Command): void {
  const cmd = program
    .command("tui", { isDefault: true })
    .description("the full-screen TUI: checkpoints, messages, search, diagnostics, live tail (the default command)")
    .option("--no-recorder", "only browse: do not start a recorder when none runs")
    .option("--no-mouse", "no mouse: the wheel and clicks stay the terminal's (its own text selection)")
    .option("--archive [url]", "browse and search a team archive, read-only, every source (URL: env SHEARWATER_ARCHIVE)");
  withBroker(withLogs(cmd)).action(async (opts: { logs?: string; broker?: string[]; recorder: boolean; mouse: boolean; archive?: string | true }) => {
    const archive = opts.archive === undefined ? undefined : (await import("../../archive/archiveReading.ts")).archiveUrlOf(opts.archive);
    if (archive === undefined) await refuseBadAtRestSettings(); // it starts compactions after a seal (N, L) and a recorder
    await (await terminalUi()).runTui({ logsDir: logsDirOf(opts), brokers: brokersOf(opts), recorder: opts.recorder, mouse: opts.mouse, archive });
  });
}
