// How to start this same program as a child process (the recorder started by the TUI and the launcher).
import { packageFile } from "../packageRoot.ts";

export const BIN_PATH = packageFile("bin", "shearwater.js");

export function selfCommand(args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: [BIN_PATH, ...args] };
}
