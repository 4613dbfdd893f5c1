// A real terminal for end-to-end tests: one private tmux server per test (its own socket name), driven with
// send-keys and read with capture-pane. Only that server is ever killed.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { waitFor } from "./waitFor.ts";

const run = promisify(execFile);
const EXIT_STATUS = path.join(import.meta.dirname, "exitStatus.mjs");

export class TmuxTerminal {
  private constructor(
    private readonly socket: string,
    private readonly statusFile: string,
  ) {}

  /**
   * Runs `argv` in a detached terminal of the given size, under exitStatus.mjs (the pane's process: a signal sent to
   * it goes on to the program), which keeps the program's exit status for `exited`.
   */
  static async start(argv: string[], opts: { columns?: number; rows?: number; env?: Record<string, string>; cwd?: string } = {}) {
    const name = `shearwater-test-${process.pid}-${randomBytes(4).toString("hex")}`;
    const t = new TmuxTerminal(name, path.join(os.tmpdir(), `${name}.status`));
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${quote(v)}`).join(" ");
    const command = `exec env ${env} ${[process.execPath, EXIT_STATUS, t.statusFile, ...argv].map(quote).join(" ")}`;
    await t.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", String(opts.columns ?? 80), "-y", String(opts.rows ?? 24),
      ...(opts.cwd ? ["-c", opts.cwd] : []), command);
    await t.tmux("set-option", "-t", "t", "remain-on-exit", "on");
    return t;
  }

  async tmux(...args: string[]): Promise<string> {
    return (await run("tmux", ["-L", this.socket, ...args])).stdout;
  }

  /** What the terminal shows now, as text. */
  screen(): Promise<string> {
    return this.tmux("capture-pane", "-p", "-t", "t");
  }

  /** The same with colours and attributes as escape sequences. */
  screenWithStyles(): Promise<string> {
    return this.tmux("capture-pane", "-p", "-e", "-t", "t");
  }

  info(format: string): Promise<string> {
    return this.tmux("display-message", "-p", "-t", "t", format).then((s) => s.trim());
  }

  /** Keys by tmux name (Enter, Escape, Tab, Up, Down, C-c) or literal text with `{ literal: true }`. */
  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) await this.tmux("send-keys", "-t", "t", k);
  }

  async type(text: string): Promise<void> {
    await this.tmux("send-keys", "-t", "t", "-l", text);
  }

  async see(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    let last = "";
    try {
      return await waitFor(async () => {
        last = await this.screen();
        return (typeof text === "string" ? last.includes(text) : text.test(last)) ? last : null;
      }, { timeoutMs, what: String(text) });
    } catch (err) {
      throw new Error(`${(err as Error).message}\nscreen:\n${last}`);
    }
  }

  /** Resolves with the program's exit status once it has exited. */
  async exited(timeoutMs = 15_000): Promise<number> {
    const status = await waitFor(() => fs.readFile(this.statusFile, "utf8").catch(() => null), { timeoutMs, what: "program exit" });
    return Number(status);
  }

  async kill(): Promise<void> {
    const socketPath = await this.tmux("display-message", "-p", "#{socket_path}").then((s) => s.trim(), () => "");
    await this.tmux("kill-server").catch(() => {});
    if (socketPath) await fs.rm(socketPath, { force: true });
    await fs.rm(this.statusFile, { force: true });
  }
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
