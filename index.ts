// The package's library entry (`import { PersistenceLauncher } from "shearwater"`): the core's public API, with
// the Ink checkpoint menu plugged in for agents started on a terminal.
import { provideTerminalUi } from "./src/ui.ts";

provideTerminalUi(() => import("./components/index.ts"));

export * from "./src/index.ts";
