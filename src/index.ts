// The public library API: what an agent written in TypeScript or JavaScript imports (docs/SPEC.md "The launcher as a
// library"). Agents in other languages use the CLI: `shearwater launch --json` and `shearwater stop`.
export { PersistenceLauncher, type LaunchChoice, type LauncherOptions } from "./launcher/PersistenceLauncher.ts";
export type { CheckpointMenu, CheckpointMenuOptions, MenuChoice } from "./launcher/menuChoice.ts";
export { writeTranscript, type Transcript } from "./launcher/transcript.ts";
export { RecorderWatchdog, ensureRecorder, stopRecorder } from "./launcher/recorderProcess.ts";
export { connectedAgents, type AgentEntry } from "./launcher/agents.ts";
export { readRecorderState, type RecorderState, type RecorderStatus } from "./control/recorderStatus.ts";
export { sendControl } from "./control/client.ts";
export { listCheckpoints, checkpointRecords, type CheckpointInfo } from "./storage/checkpoints.ts";
export type { EventRecord, MessageRecord, SessionRecord } from "./record.ts";
