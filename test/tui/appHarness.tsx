// The Ink app over a real logs folder (no recorder: actions go straight to the files), in a fake terminal of a
// fixed size. Frames are read without ANSI styling (or with it, for colours and highlights); every wait is on a
// condition; everything the app writes is kept (escape sequences besides frames: OSC 52).
import { afterEach } from "vitest";
import { render } from "ink-testing-library";
import { stripVTControlCharacters } from "node:util";
import { App } from "../../components/App.tsx";
import { LiveServices } from "../../components/store/services.ts";
import { TuiStore } from "../../components/store/tuiStore.ts";
import type { TuiServices } from "../../components/services.ts";
import { waitFor } from "../helpers/waitFor.ts";

export const KEY = { up: "\u001b[A", down: "\u001b[B", enter: "\r", esc: "\u001b", tab: "\t" };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Runs `fn` after the test, before the folders go (e.g. closing a session writer). */
export function cleanup(fn: () => unknown): void {
  cleanups.push(fn);
}

export async function open(logsDir: string, size = { columns: 80, rows: 24 }, services: TuiServices = new LiveServices(logsDir), store = new TuiStore(logsDir)) {
  await store.start();
  let quit = false;
  const ui = render(<App store={store} services={services} browseOnly onQuit={() => (quit = true)} size={size} />);
  cleanups.push(() => ui.unmount(), () => store.dispose());
  let output = "";
  let lastFrame = "";
  const write = ui.stdout.write.bind(ui.stdout);
  ui.stdout.write = (data: string) => {
    output += data;
    if (!data.startsWith("\u001b]52;")) lastFrame = data;
    return write(data);
  };
  const styled = () => lastFrame || (ui.lastFrame() ?? "");
  const frame = () => stripVTControlCharacters(styled());
  const see = (text: string | RegExp, what = String(text)) =>
    waitFor(() => (typeof text === "string" ? frame().includes(text) : text.test(frame())), { what: `${what} in:\n${frame()}` });
  /** Keys are typed one at a time, each after the previous frame, as a person types. */
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      ui.stdin.write(k);
      await new Promise((r) => setImmediate(r));
    }
  };
  const until = (ok: () => boolean, what: string) => waitFor(ok, { what: `${what} in:\n${frame()}` });
  const waitGone = (text: string) => until(() => !frame().includes(text), `${text} gone`);
  return { ui, store, frame, styled, see, waitFor: until, waitGone, press, output: () => output, quit: () => quit };
}
