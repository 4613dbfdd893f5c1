// The checkpoint menu an agent sees at startup. The launcher only knows this contract; the menu itself is an Ink
// component, loaded lazily and only when a terminal is there to show it, so the core keeps no dependency on the UI.

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

/** The module and export that draw the menu (owned by the UI). */
const MENU_MODULE = new URL("../../components/checkpointMenu.tsx", import.meta.url).href;

export async function loadCheckpointMenu(): Promise<CheckpointMenu> {
  const mod = (await import(MENU_MODULE).catch((err: Error) => {
    throw new Error(`the checkpoint menu could not be loaded (${err.message}); run without it: --no-menu`);
  })) as { runCheckpointMenu?: CheckpointMenu };
  if (typeof mod.runCheckpointMenu !== "function") {
    throw new Error(`${MENU_MODULE} does not export runCheckpointMenu; run without the menu: --no-menu`);
  }
  return mod.runCheckpointMenu;
}
