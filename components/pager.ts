// `o`: a message in the user's pager ($PAGER, else less). The text goes into an owner-only file in a fresh private
// folder (nothing another user could have planted), the pager runs on the terminal the TUI gives up meanwhile, and
// the folder is removed after.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ScreenSession } from "./terminal.ts";

/** Shows `text` in the pager; resolves with why not when it could not be run. */
export function showInPager(text: string, screen: ScreenSession, env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shearwater-"));
  try {
    const file = path.join(dir, "message.txt");
    fs.writeFileSync(file, text, { mode: 0o600, flag: "wx" });
    const pager = env.PAGER?.trim() || "less";
    // $PAGER is a command line of the user's own (`less -R`, `bat --plain`): the shell splits it.
    const run = screen.suspend(() => spawnSync("/bin/sh", ["-c", `${pager} "$1"`, "sh", file], { stdio: "inherit" }));
    if (run.error) return `the pager could not be started: ${run.error.message}`;
    if (run.status === 127) return `the pager "${pager}" was not found (set $PAGER)`;
    return null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
