// A program on a real terminal: a tmux server on a private socket (never the user's), killed after the test.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterEach } from "vitest";

const servers = new Set<string>();

export interface TmuxPane {
  screen(): string;
  keys(...keys: string[]): void;
  /** Whether the program in the pane is still running. */
  running(): boolean;
}

export function tmuxRun(argv: string[], { env = {}, columns = 120, rows = 36 } = {}): TmuxPane {
  const socket = `shearwater-test-${randomBytes(4).toString("hex")}`;
  servers.add(socket);
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
  const envArgs = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  tmux("new-session", "-d", "-s", "t", "-x", String(columns), "-y", String(rows), ...envArgs, ...argv);
  tmux("set-option", "-t", "t", "remain-on-exit", "on");
  return {
    screen: () => tmux("capture-pane", "-p", "-t", "t"),
    keys: (...keys) => void tmux("send-keys", "-t", "t", ...keys),
    running: () => tmux("display-message", "-p", "-t", "t", "#{pane_dead}").trim() === "0",
  };
}

afterEach(() => {
  for (const socket of servers) {
    try {
      execFileSync("tmux", ["-L", socket, "kill-server"], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
  servers.clear();
});
