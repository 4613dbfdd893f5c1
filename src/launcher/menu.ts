// The checkpoint menu an agent sees at startup. The launcher only knows its contract (menuChoice.ts); the menu
// itself is drawn by the terminal UI (src/ui.ts), loaded only when a terminal is there to show it.
import { terminalUi } from "../ui.ts";
import type { CheckpointMenu } from "./menuChoice.ts";

/** The menu drawn by the terminal UI, when one is plugged in (src/ui.ts). */
export async function loadCheckpointMenu(): Promise<CheckpointMenu> {
  return (await terminalUi()).runCheckpointMenu;
}
