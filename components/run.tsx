// Starts the full-screen TUI over a logs folder and returns when the user quits: the recorder is started in the
// background when none runs (and restarted with back-off when it dies), the terminal (and the mouse mode) is put
// back on every exit.
/** @jsxRuntime automatic @jsxImportSource react */
import { render } from "ink";
import { ensureRecorder, RecorderWatchdog } from "../src/launcher/recorderProcess.ts";
import type { AlertEvent } from "../src/recorder/alertSpec.ts";
import type { TuiOptions } from "../src/ui.ts";
import { App } from "./App.tsx";
import { LiveServices } from "./store/services.ts";
import { TuiStore } from "./store/tuiStore.ts";
import { enterFullScreen } from "./terminal.ts";

export async function runTui(opts: TuiOptions): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new Error("the TUI needs a terminal (use `shearwater view` or `shearwater search` in scripts)");
  }
  // An archive is opened before the screen is taken, so that a bad URL or a lost server is a plain message.
  const archive = opts.archive ? await (await import("./store/openArchiveTui.ts")).openArchiveTui(opts.archive) : null;
  const screen = enterFullScreen(process.stdout, process.stdin, { mouse: opts.mouse !== false });
  const store = archive?.store ?? new TuiStore(opts.logsDir);
  const live = archive ? null : new LiveServices(opts.logsDir);
  const services = archive?.services ?? live!;
  let watchdog: RecorderWatchdog | null = null;
  try {
    if (opts.recorder && !archive) watchdog = superviseRecorder(opts, store);
    await store.start();
    const ink = render(<App store={store} services={services} browseOnly={!opts.recorder || archive !== null} screen={screen} onQuit={() => ink.unmount()} />, {
      exitOnCtrlC: false, // Ctrl+C is the quit key, so the same cleanup runs
      patchConsole: true,
      // The store already batches live data (one frame per FRAME_MS at most); a higher cap than Ink's 30 only
      // lets a key press be drawn sooner while messages stream in.
      maxFps: 60,
    });
    // The first frame is out (render draws it at once): the index worker, a child process, starts only now.
    live?.startIndexing(() => store.touch());
    await ink.waitUntilExit();
  } finally {
    watchdog?.stop();
    store.dispose();
    await live?.dispose();
    await archive?.close();
    screen.restore();
  }
}

/** The recorder is started without holding up the first screen; the watchdog then keeps it alive. */
function superviseRecorder(opts: TuiOptions, store: TuiStore): RecorderWatchdog {
  const recorderOpts = { logsDir: opts.logsDir, brokers: opts.brokers };
  const watchdog = new RecorderWatchdog(recorderOpts);
  watchdog.on("died", (reason: string, alert: AlertEvent | null) =>
    store.setBanner(`${alert ? "alert recorder-down: " : ""}recorder stopped: ${reason} — restarting`));
  watchdog.on("restarted", () => store.setBanner(null));
  watchdog.on("restart_failed", (err: Error, nextMs: number) =>
    store.setBanner(`recorder could not be restarted (${err.message.split("\n")[0]}); retrying in ${Math.round(nextMs / 1000)} s`),
  );
  ensureRecorder(recorderOpts).then(
    () => watchdog.start(),
    (err: Error) => {
      store.setBanner(`recorder could not be started: ${err.message.split("\n")[0]}`);
      watchdog.start();
    },
  );
  return watchdog;
}
