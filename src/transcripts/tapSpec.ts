// Which transcript folders a recorder taps: `--tap claude[=DIR]` (also gemini, codex) as the command line gives it.
// Apart from the tap itself so that a command can check its flags without loading the file watcher.
import os from "node:os";
import path from "node:path";
import type { TranscriptFormat } from "./types.ts";

export interface TapSpec {
  format: TranscriptFormat;
  dir: string;
}

export const DEFAULT_TAP_DIRS: Record<TranscriptFormat, string> = {
  claude: path.join(os.homedir(), ".claude", "projects"),
  gemini: path.join(os.homedir(), ".gemini", "tmp"),
  codex: path.join(os.homedir(), ".codex", "sessions"),
};

/** `claude`, `claude=DIR` (also gemini, codex) as the command line gives them. */
export function parseTapSpec(text: string): TapSpec {
  const [name, ...rest] = text.split("=");
  const format = name.trim().toLowerCase().replace(/_(code|cli)$/, "") as TranscriptFormat;
  if (!(format in DEFAULT_TAP_DIRS)) throw new Error(`--tap takes claude, gemini or codex (optionally =DIR), not "${text}"`);
  const dir = rest.length > 0 ? rest.join("=") : DEFAULT_TAP_DIRS[format];
  return { format, dir: path.resolve(dir.replace(/^~(?=$|\/)/, os.homedir())) };
}

/** The flag that gives `spec` again (a recorder started for an agent gets its taps this way). */
export function tapFlag(spec: TapSpec): string {
  return `${spec.format}=${spec.dir}`;
}
