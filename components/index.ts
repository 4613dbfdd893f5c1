// The Ink UI as the core sees it (src/ui.ts): the full-screen TUI and the launcher's checkpoint menu.
export { runTui } from "./run.tsx";
export { runCheckpointMenu } from "./checkpointMenu.tsx";
