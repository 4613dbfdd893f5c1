// The built program (bin/shearwater.js → dist/), as a user runs it, in a real pseudo-terminal (util-linux `script`),
// and every frame it draws, at the moment its last byte reaches the terminal. Ink wraps each frame of a terminal in
// the synchronized-output marks (ESC[?2026h … ESC[?2026l), so a frame is what lies between them; its text is what
// the screen shows (escape sequences dropped, one line per row). Keys are written to the terminal as typed.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { stripVTControlCharacters } from "node:util";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { childrenOf } from "./procStat.ts";

const FRAME_START = "\u001b[?2026h";
const FRAME_END = "\u001b[?2026l";

export interface ProgramInTerminal {
  /** The newest whole frame's text. */
  last(): string;
  /** How many whole frames it has drawn so far. */
  drawn(): number;
  /** Resolves at the next frame, or after `timeoutMs`. */
  next(timeoutMs: number): Promise<void>;
  /** Waits for a frame that satisfies `ok` and returns when it arrived (performance.now()). */
  until(ok: (frame: string) => boolean, timeoutMs: number): Promise<number>;
  /** Writes keys to the terminal, as a keyboard does. */
  type(keys: string): void;
  /** The program's process id (`script` runs it as its child), for /proc (procStat.ts). */
  pid(): number;
  /** Quits with `q` (or kills it when it does not go) and waits for it. */
  close(): Promise<void>;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `nodeArgs`: options for Node itself, e.g. `--cpu-prof` to see where a benchmark's time goes. */
export function runInTerminal(args: string[], { columns, rows, nodeArgs = [] }: { columns: number; rows: number; nodeArgs?: string[] }): ProgramInTerminal {
  const command = `stty cols ${columns} rows ${rows}; exec ${[process.execPath, ...nodeArgs, BIN_PATH, ...args].map(quote).join(" ")}`;
  const child = spawn("script", ["-qfec", command, "/dev/null"], { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, TERM: "xterm-256color" } });
  let pending = "";
  let last = "";
  let lastAt = 0;
  let drawn = 0;
  let waiters: Array<() => void> = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (data: string) => {
    const at = performance.now();
    pending += data;
    for (;;) {
      const end = pending.indexOf(FRAME_END);
      if (end < 0) break;
      const start = pending.lastIndexOf(FRAME_START, end);
      if (start >= 0) {
        last = stripVTControlCharacters(pending.slice(start + FRAME_START.length, end));
        lastAt = at;
        drawn++;
      }
      pending = pending.slice(end + FRAME_END.length);
    }
    if (lastAt !== at) return;
    const w = waiters;
    waiters = [];
    for (const fn of w) fn();
  });
  const next = (timeoutMs: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return {
    last: () => last,
    drawn: () => drawn,
    next,
    async until(ok, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (!ok(last)) {
        if (performance.now() > deadline) throw new Error(`no such frame within ${timeoutMs} ms; last:\n${last}`);
        await next(deadline - performance.now());
      }
      return lastAt;
    },
    type: (keys) => void child.stdin.write(keys),
    pid: () => childrenOf(child.pid!)[0].pid,
    async close() {
      child.stdin.write("q");
      const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
      if (!gone) child.kill("SIGKILL");
      await exited;
    },
  };
}
