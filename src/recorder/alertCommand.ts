// `--alert-command CMD`: run through the shell with the alert as JSON on stdin, once per firing and once per
// clearing. A command that hangs is killed after a while; one that fails is reported, never fatal.
import { spawn } from "node:child_process";
import type { AlertEvent } from "./alertSpec.ts";

const COMMAND_TIMEOUT_MS = 30_000;

/** Resolves when the command has ended (or was killed); `onError` hears why one did not succeed. */
export function runAlertCommand(command: string, event: AlertEvent, onError: (message: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ["pipe", "ignore", "pipe"], windowsHide: true });
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), COMMAND_TIMEOUT_MS);
    timer.unref();
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
    child.stdin.on("error", () => {}); // a command that does not read its input is fine
    child.stdin.end(`${JSON.stringify(event)}\n`);
    child.on("error", (err) => {
      clearTimeout(timer);
      onError(`alert command failed to start: ${err.message}`);
      resolve();
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) onError(`alert command for ${event.alert} (${event.state}) ${code === null ? `killed by ${signal}` : `exited ${code}`}${stderr ? `: ${stderr.trim()}` : ""}`);
      resolve();
    });
  });
}
