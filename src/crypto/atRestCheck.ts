// The check of encryption at rest's settings by what starts the compaction after a seal (the recorder, the TUI):
// a bad setting is bad usage before it starts, not a failure in the background after every seal. age is loaded only
// when some setting is there to check, so a recorder without any keeps its few imports.
import { atRestSettingsInEnvironment } from "./atRestEnv.ts";

export async function refuseBadAtRestSettings(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (atRestSettingsInEnvironment(env)) await (await import("./atRestSettings.ts")).checkAtRestSettings(env);
}
