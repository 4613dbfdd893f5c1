// The checkpoint menu an agent sees at startup. The launcher only knows this contract; the menu itself is drawn by
// the terminal UI (src/ui.ts), loaded only when a terminal is there to show it.
import { terminalUi } from "../ui.ts";

/** What the user chose. The launcher carries it out (load / new through the recorder). */
export type MenuChoice = { action: "load"; checkpoint: string } | { action: "new" } | { action: "continue" };

export interface CheckpointMenuOptions {
  logsDir: string;
  /** The agent being started, shown in the menu's title. */
  agent: string;
  /** Where the menu is drawn; the launcher passes a terminal. */
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

export type CheckpointMenu = (opts: CheckpointMenuOptions) => Promise<MenuChoice>;

/** The menu drawn by the terminal UI, when one is plugged in (src/ui.ts). */
export async function loadCheckpointMenu(): Promise<CheckpointMenu> {
  return (await terminalUi()).runCheckpointMenu;
}
