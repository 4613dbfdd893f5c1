// The alternate screen is left on every way out: a normal restore, SIGTERM, an uncaught error. Each case runs in
// a real child process whose stdout is captured.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { waitFor } from "../helpers/waitFor.ts";

const ENTER = "\u001b[?1049h";
const LEAVE = "\u001b[?1049l";
const terminalModule = fileURLToPath(new URL("../../components/terminal.ts", import.meta.url));

function child(body: string, opts = "{}") {
  const script = `import { enterFullScreen } from ${JSON.stringify(terminalModule)};\nconst screen = enterFullScreen(process.stdout, process.stdin, ${opts});\n${body}`;
  const p = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  p.stdout.on("data", (d: Buffer) => (out += d.toString()));
  p.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => p.on("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { p, out: () => out, err: () => err, exited };
}

describe("full-screen terminal handling", () => {
  it("restores once, however often it is asked", async () => {
    const c = child(`screen.restore(); screen.restore(); process.stdout.write("done");`);
    expect(await c.exited).toBe(0);
    expect(c.out()).toBe(`${ENTER}\u001b[H\u001b[?25l\u001b[?25h${LEAVE}done`);
  });

  it("restores on SIGTERM and exits 143", async () => {
    const c = child(`process.stdout.write("ready"); setInterval(() => {}, 1000);`);
    await waitFor(() => c.out().includes("ready"), { what: "child ready" });
    c.p.kill("SIGTERM");
    expect(await c.exited).toBe(143);
    expect(c.out().endsWith(LEAVE)).toBe(true);
  });

  it("restores on an uncaught error, says what it was and exits 1", async () => {
    const c = child(`setTimeout(() => { throw new Error("boom"); }, 10);`);
    expect(await c.exited).toBe(1);
    expect(c.out().endsWith(LEAVE)).toBe(true);
    expect(c.err()).toContain("boom");
  });

  it("turns mouse reports off with everything else, on SIGTERM too", async () => {
    const c = child(`process.stdout.write("ready"); setInterval(() => {}, 1000);`, "{ mouse: true }");
    await waitFor(() => c.out().includes("ready"), { what: "child ready" });
    expect(c.out()).toContain("\u001b[?1000h\u001b[?1006h");
    c.p.kill("SIGTERM");
    expect(await c.exited).toBe(143);
    expect(c.out().endsWith(`\u001b[?1006l\u001b[?1000l\u001b[?25h${LEAVE}`)).toBe(true);
  });

  it("hands the terminal over as it was before, and takes the full screen back after", async () => {
    const c = child(`screen.suspend(() => process.stdout.write("[pager]")); screen.restore();`, "{ mouse: true }");
    expect(await c.exited).toBe(0);
    const off = `\u001b[?1006l\u001b[?1000l\u001b[?25h${LEAVE}`;
    const on = `${ENTER}\u001b[H\u001b[?25l\u001b[?1000h\u001b[?1006h`;
    expect(c.out()).toBe(`${on}${off}[pager]${on}${off}`);
  });
});
