// Full-screen drawing in the terminal's alternate screen (with mouse reports when asked), and putting the terminal
// back on every way out: normal quit, Ctrl+C, SIGTERM/SIGHUP, an uncaught error. Ink 6 has no option for this, so
// the escape sequences are written here and undone exactly once. A program run in between (the pager) gets the
// terminal as it was before, and the full screen comes back after it.
import { MOUSE_OFF, MOUSE_ON } from "./mouse.ts";

const ENTER = "\x1b[?1049h\x1b[H\x1b[?25l"; // alternate screen, cursor home, cursor hidden
const LEAVE = "\x1b[?25h\x1b[?1049l"; // cursor shown, main screen back (with what was on it)

export interface ScreenSession {
  /** Leave the alternate screen and drop the process hooks; safe to call more than once. */
  restore(): void;
  /** Hands the terminal to `work` as it was before the full screen (cooked mode, main screen), then takes it back. */
  suspend<T>(work: () => T): T;
}

export function enterFullScreen(
  out: NodeJS.WriteStream = process.stdout,
  input: NodeJS.ReadStream = process.stdin,
  opts: { mouse?: boolean } = {},
): ScreenSession {
  const enter = ENTER + (opts.mouse ? MOUSE_ON : "");
  const leave = (opts.mouse ? MOUSE_OFF : "") + LEAVE;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (input.isTTY && input.isRaw) input.setRawMode(false);
    out.write(leave);
    process.off("exit", restore);
    for (const sig of SIGNALS) process.off(sig, onSignal);
    process.off("uncaughtException", onFatal);
    process.off("unhandledRejection", onFatal);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    restore();
    process.exit(128 + (SIGNAL_NUMBERS[sig] ?? 1));
  };
  const onFatal = (err: unknown) => {
    restore();
    process.stderr.write(`shearwater: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  };
  const suspend = <T>(work: () => T): T => {
    const raw = input.isTTY && input.isRaw;
    if (raw) input.setRawMode(false);
    out.write(leave);
    try {
      return work();
    } finally {
      if (!restored) {
        out.write(enter);
        if (raw) input.setRawMode(true);
      }
    }
  };
  out.write(enter);
  process.on("exit", restore);
  for (const sig of SIGNALS) process.on(sig, onSignal);
  process.on("uncaughtException", onFatal);
  process.on("unhandledRejection", onFatal);
  return { restore, suspend };
}

// SIGINT is listed for when raw mode is off (e.g. before Ink takes the keyboard); in raw mode Ctrl+C is a key.
const SIGNALS: NodeJS.Signals[] = ["SIGTERM", "SIGHUP", "SIGINT"];
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
