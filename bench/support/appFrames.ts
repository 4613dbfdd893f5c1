// The real TUI app drawn into a fake terminal in the benchmark's own process, and every frame it writes as it is
// written, so that a benchmark can time until the frame that shows something.
import { performance } from "node:perf_hooks";

/** The app as the TUI command runs it: React's production build (set before React loads). */
export async function loadApp() {
  process.env.NODE_ENV ??= "production";
  const [{ createElement }, { render }, { App }, { LiveServices }, { TuiStore }] = await Promise.all([
    import("react"), import("ink-testing-library"), import("../../components/App.tsx"),
    import("../../components/store/services.ts"), import("../../components/store/tuiStore.ts"),
  ]);
  return { createElement, render, App, LiveServices, TuiStore };
}

/** Every frame the app writes, as it is written. */
export type Rendered = ReturnType<(typeof import("ink-testing-library"))["render"]>;

export function frameWatcher(ui: Rendered) {
  let last = "";
  let waiters: Array<() => void> = [];
  const write = ui.stdout.write;
  ui.stdout.write = (frame: string) => {
    write(frame);
    last = frame;
    const w = waiters;
    waiters = [];
    for (const fn of w) fn();
  };
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
    next,
    async until(ok: (frame: string) => boolean, timeoutMs: number): Promise<void> {
      const deadline = performance.now() + timeoutMs;
      while (!ok(last)) {
        if (performance.now() > deadline) throw new Error(`no such frame within ${timeoutMs} ms; last:\n${last}`);
        await next(deadline - performance.now());
      }
    },
  };
}
