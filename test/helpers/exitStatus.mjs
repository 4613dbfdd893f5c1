// Runs a program on this terminal and writes its exit status to a file: tmux 3.3 sometimes marks a pane dead without
// the status of its program, so the tests read it from here. Signals a test sends to the pane's process go on to the
// program; those the terminal sends (Ctrl+C, a resize) reach it directly, as it is in the terminal's process group.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";

const [statusFile, command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: "inherit" });
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
process.on("SIGINT", () => {}); // the terminal's Ctrl+C reaches the program itself
child.on("error", (err) => {
  process.stderr.write(`${err.message}\n`);
  fs.writeFileSync(statusFile, "127");
  process.exit(127);
});
child.on("exit", (code, signal) => {
  const status = code ?? 128 + (os.constants.signals[signal] ?? 0);
  fs.writeFileSync(statusFile, String(status));
  process.exit(status);
});
