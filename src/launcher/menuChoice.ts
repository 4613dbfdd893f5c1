// The checkpoint menu's contract: what the launcher asks of it and what it answers. The menu is drawn by the
// terminal UI (src/ui.ts); the launcher and the UI port both speak these types only.

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
