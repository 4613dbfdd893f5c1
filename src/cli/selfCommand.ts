// How to start this same program as a child process (the recorder started by the TUI and the launcher).
import { fileURLToPath } from "node:url";

export const BIN_PATH = fileURLToPath(new URL("../../bin/shearwater.js", import.meta.url));

export function selfCommand(args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: [BIN_PATH, ...args] };
}
