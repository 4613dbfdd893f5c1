// The core draws nothing itself. The Ink UI (components/) plugs in here from the program's entry points
// (bin/shearwater.js and the package's index.ts), so src/ never imports components/ and loads Ink only when a
// command actually draws.
import type { CheckpointMenu } from "./launcher/menuChoice.ts";

export interface TuiOptions {
  logsDir: string;
  brokers: string[];
  /** false: only browse, never start a recorder (`--no-recorder`). */
  recorder: boolean;
  /** false: no mouse reports (`--no-mouse`), so the terminal's own selection works as without the TUI. */
  mouse?: boolean;
  /** A team archive's URL: browse and search it, read-only, instead of the logs folder. */
  archive?: string;
}

export interface TerminalUi {
  runTui(opts: TuiOptions): Promise<void>;
  runCheckpointMenu: CheckpointMenu;
}

let provider: (() => Promise<TerminalUi>) | undefined;

export function provideTerminalUi(load: () => Promise<TerminalUi>): void {
  provider = load;
}

export async function terminalUi(): Promise<TerminalUi> {
  if (!provider) throw new Error("no terminal UI is available in this program; run without it (e.g. --no-menu)");
  return loadInteractive(provider);
}

/** Ink decides once, as it loads, that it runs in CI when CI or CONTINUOUS_INTEGRATION is set, and then draws no
 * frames but the last. The UI is only ever drawn on a terminal someone looks at, so Ink loads without them. */
async function loadInteractive(load: () => Promise<TerminalUi>): Promise<TerminalUi> {
  const hidden = ["CI", "CONTINUOUS_INTEGRATION"].filter((k) => k in process.env).map((k) => [k, process.env[k]] as const);
  for (const [k] of hidden) delete process.env[k];
  try {
    return await load();
  } finally {
    for (const [k, v] of hidden) process.env[k] = v;
  }
}
