// The real executable as a child process, as a user or a script runs it.
import { spawnSync } from "node:child_process";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";

export function shearwaterSync(...args: string[]) {
  return spawnSync(process.execPath, [BIN_PATH, ...args], { encoding: "utf8", timeout: 20_000 });
}
