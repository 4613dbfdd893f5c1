// An agent stand-in for tap tests: a child process that writes its transcript the way the vendor does, as it is told
// on stdin — appending a line (one with `split` in two writes 300 ms apart), or rewriting a whole file (`replace`):
// a new file renamed over the old one, as Gemini CLI saves its legacy JSON; with `torn`, the file itself is first
// overwritten with only the start of the text and left so for 300 ms (a writer that crashed mid-save, then saved).
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterEach } from "vitest";
import { waitFor } from "../helpers/waitFor.ts";

const AGENT = `
const fs = require("node:fs");
const rl = require("node:readline").createInterface({ input: process.stdin });
const pause = () => new Promise((r) => setTimeout(r, 300));
let queue = Promise.resolve();
rl.on("line", (cmd) => (queue = queue.then(async () => {
  const { file, text, split, replace, torn } = JSON.parse(cmd);
  if (replace) {
    if (torn) {
      fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
      await pause();
    }
    fs.writeFileSync(file + ".tmp", text);
    fs.renameSync(file + ".tmp", file);
  } else {
    if (split) {
      fs.appendFileSync(file, text.slice(0, split));
      await pause();
    }
    fs.appendFileSync(file, (split ? text.slice(split) : text) + "\\n");
  }
  process.stdout.write(Date.now() + "\\n");
})));`;

const agents: ChildProcess[] = [];
afterEach(() => {
  for (const a of agents.splice(0)) a.kill("SIGKILL");
});

export function startAgent() {
  const proc = spawn(process.execPath, ["-e", AGENT], { stdio: ["pipe", "pipe", "inherit"] });
  agents.push(proc);
  const written: number[] = [];
  createInterface({ input: proc.stdout! }).on("line", (l) => written.push(Number(l)));
  const send = (cmd: object): Promise<number> => {
    const n = written.length + 1;
    proc.stdin!.write(`${JSON.stringify(cmd)}\n`);
    return waitFor(() => (written.length >= n ? written[n - 1] : null), { what: "the agent's write" });
  };
  return {
    written,
    /** Appends `text` and a newline; resolves with the time the write ended. */
    append: (file: string, text: string, split?: number) => send({ file, text, split }),
    /** Puts `text` in place of the file, by a rename (first torn in place, with `torn`). */
    replace: (file: string, text: string, torn = false) => send({ file, text, replace: true, torn }),
  };
}
