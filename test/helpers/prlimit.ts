// The write-error tests make real writes fail by limiting a child's file size with prlimit (util-linux). prlimit is
// Linux's alone: elsewhere those tests are skipped; on Linux they always run (.ci/run installs util-linux), and a
// missing prlimit fails them with what to install rather than skipping them unseen.
import { spawnSync } from "node:child_process";

export const CAN_LIMIT_FILE_SIZE = process.platform === "linux";

/** Throws, saying what to install, when prlimit does not run. */
export function requirePrlimit(): void {
  if (spawnSync("prlimit", ["--version"]).status !== 0) {
    throw new Error("the write-error tests need prlimit: install util-linux (apt-get install util-linux)");
  }
}
