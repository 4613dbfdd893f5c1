// A passphrase asked for on the terminal, without echo, where one is needed and none is set: by the commands a person
// runs (compact, view, search, export, report), which allow it; never by the recorder or the TUI (which owns the
// terminal), which do not. Kept free of age, so allowing it costs a command nothing until a passphrase is needed.
import { UsageError } from "../config.ts";

let allowed = false;

/** This process may ask its user (it is a command run at a terminal, not the recorder or the TUI). */
export function allowPassphrasePrompt(): void {
  allowed = true;
}

/** Whether a passphrase can be asked for now: allowed, and both stdin and stdout a terminal. */
export function canAskPassphrase(): boolean {
  return allowed && process.stdin.isTTY === true && process.stdout.isTTY === true;
}

const CTRL_C = "\u0003";
const CTRL_D = "\u0004";
const ERASE = new Set(["\u007f", "\b"]);

/** Asks on stderr, reads a line from the terminal in raw mode (nothing echoed); Ctrl-C or Ctrl-D gives up. */
export function askPassphrase(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const done = () => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          done();
          return typed.length ? resolve(typed.join("")) : reject(new UsageError("no passphrase typed"));
        }
        if (ch === CTRL_C || ch === CTRL_D) {
          done();
          return reject(new UsageError("no passphrase: asking was cancelled"));
        }
        if (ERASE.has(ch)) typed = typed.slice(0, -1);
        else if (ch >= " ") typed.push(ch);
      }
    };
    input.on("data", onData);
  });
}
