// The TUI in a real terminal (tmux): raw mode, the alternate screen, resize, and the whole program as users run it.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startBroker, type RunningBroker } from "../../src/broker/referenceBroker.ts";
import { sendControl } from "../../src/control/client.ts";
import { stopRecorder } from "../../src/launcher/recorderProcess.ts";
import { createCheckpoint, listCheckpoints } from "../../src/storage/checkpoints.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { sessionWith } from "./session.ts";
import { TmuxTerminal } from "../helpers/tmux.ts";
import { Publisher } from "zeromq";
import stringWidth from "string-width";

const BIN = fileURLToPath(new URL("../../bin/shearwater.js", import.meta.url));
const terminals: TmuxTerminal[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(terminals.splice(0).map((t) => t.kill()));
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/** The installed program run from some other folder, as users run it (not from the project's own). */
async function tui(args: string[], env: Record<string, string> = {}) {
  const t = await TmuxTerminal.start([process.execPath, BIN, ...args], { env, cwd: os.tmpdir() });
  terminals.push(t);
  return t;
}

describe("the TUI in a real terminal", () => {
  it("browses, opens, searches, checkpoints, loads and quits, leaving the terminal as it was", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 40, (i) => (i === 7 ? "the quokka report" : `routine update ${i}`));
    await writer.close();
    const t = await tui(["--logs", dir, "--no-recorder"], { NO_COLOR: "1" });
    await t.see("current session");
    expect(await t.info("#{alternate_on}")).toBe("1");

    await t.keys("V");
    await t.see("routine update 40");
    expect(await t.screenWithStyles()).not.toMatch(/\u001b\[(\d+;)*(3[0-8]|9[0-7])(;\d+)*m/); // names and tiers are coloured, but not with NO_COLOR
    await t.keys("k", "Enter");
    await t.see("Payload (Enter folds)");
    await t.see("routine update 39");
    await t.keys("Escape");
    await t.see("Messages — current session");

    await t.keys("/");
    await t.see("Search:");
    await t.type("quokka");
    await t.see("1 hits");
    await t.keys("Enter");
    await t.see("hit 1/1 (n/N)");
    await t.keys("Enter");
    await t.see("seq 8");
    await t.keys("Escape", "Escape");
    await t.see("Checkpoints — Enter view");

    await t.keys("C");
    await t.see("Checkpoint label:");
    await t.type("e2e mark");
    await t.keys("Enter");
    await t.see(/Checkpoint \S+ taken: 40 msgs/);
    await t.keys("x");
    await t.see(/ 40 msgs .*e2e mark/);

    await t.keys("Down", "L");
    await t.see('Load checkpoint "e2e mark"?');
    await t.keys("y");
    await t.see("Loaded");
    await t.keys("x");
    await waitFor(async () => (await listCheckpoints(dir)).some((c) => c.label === "before load"), { what: "checkpoint before load" });

    await t.keys("q");
    expect(await t.exited()).toBe(0);
    expect(await t.info("#{alternate_on}")).toBe("0");
  });

  it("stays up when an action fails: a checkpoint whose session file is gone shows why, and Q still quits cleanly", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 3);
    await createCheckpoint(dir, await writer.snapshot(), "orphan");
    await writer.close();
    await fs.rm(path.join(dir, "current_session.jsonl"));
    const t = await tui(["--logs", dir, "--no-recorder"], { NO_COLOR: "1" });
    await t.see("Messages — current session");
    await t.keys("Escape");
    await t.see("orphan");
    await t.keys("Down", "Enter");
    await t.see("Cannot open checkpoint");
    await t.see("not found");
    await t.keys("x");
    await t.see("Checkpoints — Enter view");
    await t.keys("L");
    await t.see('Load checkpoint "orphan"?');
    await t.keys("y");
    await t.see("any key: close");
    await t.keys("x", "q");
    expect(await t.exited()).toBe(0);
  });

  it("re-lays out on resize, says when the terminal is too small, and restores the terminal on SIGTERM", async () => {
    const dir = await tmpDir();
    await (await sessionWith(dir, 3)).close();
    // CI set in the environment (as many shells on build machines have it) must not stop live drawing.
    const t = await tui(["--logs", dir, "--no-recorder"], { CI: "true" });
    await t.see("current session");
    await t.tmux("resize-window", "-t", "t", "-x", "30", "-y", "8");
    await t.see("Terminal too small");
    await t.tmux("resize-window", "-t", "t", "-x", "100", "-y", "30");
    await t.see("current session");
    const screen = await t.screen();
    expect(screen.split("\n").filter((l) => l.includes("? help · Q quit"))).toHaveLength(1);
    process.kill(Number(await t.info("#{pane_pid}")), "SIGTERM");
    await t.exited();
    expect(await t.info("#{alternate_on}")).toBe("0");
  });

  it("opens on the live tail, starts a recorder, shows a message published through a real broker without a key, and leaves the recorder recording", async () => {
    const dir = await tmpDir();
    const [pub, sub] = [await freeEndpoint(), await freeEndpoint()];
    const broker: RunningBroker = await startBroker({ pub, sub });
    cleanups.push(async () => broker.stop());
    cleanups.push(() => stopRecorder(dir)); // before the folder goes: the recorder was started for this test
    const t = await tui(["--logs", dir, "--broker", sub]);
    await t.see(/● recording/, 30_000);
    // No key pressed: the TUI opens on the live tail, following.
    await t.see("Messages — current session");
    await t.see("following");

    const publisher = new Publisher();
    cleanups.push(async () => publisher.close());
    publisher.connect(pub);
    // A PUB socket drops what it sends before the subscription reaches it: publish until the message shows.
    const body = JSON.stringify({ from: "e2e-agent", to: "human", text: "hello from the broker" });
    let screen = "";
    await waitFor(async () => {
      await publisher.send(["agents.chat", body]);
      screen = await t.screen();
      return screen.includes("hello from the broker");
    }, { timeoutMs: 20_000, intervalMs: 300, what: "published message on screen" }).catch((err: Error) => {
      throw new Error(`${err.message}\nscreen:\n${screen}`);
    });
    expect(await t.screen()).toContain("e2e-agent");

    await t.keys("q");
    expect(await t.exited()).toBe(0);
    // Quitting leaves the recorder running.
    expect(await sendControl(dir, "ping")).toBeTruthy();
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("stands the panes side by side from 120 columns, tabs below, following resizes both ways", async () => {
    const dir = await tmpDir();
    await (await sessionWith(dir, 30)).close();
    const t = await tui(["--logs", dir, "--no-recorder"], { NO_COLOR: "1" });
    await t.tmux("resize-window", "-t", "t", "-x", "200", "-y", "50");
    const split = (screen: string) => screen.includes("Checkpoints —") && screen.split("\n").filter((l) => l.includes("│")).length >= 40;
    const fits = (screen: string, columns: number) => screen.split("\n").every((l) => stringWidth(l) <= columns);
    let screen = await t.see("hello number 30");
    await waitFor(async () => split((screen = await t.screen())), { what: "the split at 200 columns" });
    expect(fits(screen, 200)).toBe(true);
    await t.tmux("resize-window", "-t", "t", "-x", "90", "-y", "30");
    // Tabs, and nothing left of the split: no list, no separator.
    await waitFor(async () => {
      screen = await t.screen();
      return !screen.includes("Checkpoints —") && !screen.includes("│") && screen.includes("hello number 30");
    }, { what: "tabs at 90 columns" });
    expect(fits(screen, 90)).toBe(true);
    await t.tmux("resize-window", "-t", "t", "-x", "200", "-y", "50");
    await waitFor(async () => split((screen = await t.screen())), { what: "the split back at 200 columns" });
    expect(screen).toContain("hello number 30");
  });

  it("turns the mouse on (off with --no-mouse and on the way out): the wheel scrolls the pane under the pointer", async () => {
    const dir = await tmpDir();
    await (await sessionWith(dir, 60)).close();
    const t = await tui(["--logs", dir, "--no-recorder"], { NO_COLOR: "1" });
    await t.see("following");
    expect(await t.info("#{mouse_sgr_flag}#{mouse_standard_flag}")).toBe("11");
    await t.tmux("send-keys", "-t", "t", "-l", "\u001b[<64;40;12M");
    await t.see("paused (f/G follow)");
    await t.keys("q");
    expect(await t.exited()).toBe(0);
    expect(await t.info("#{mouse_sgr_flag}#{mouse_standard_flag}")).toBe("00");

    const plain = await tui(["--logs", dir, "--no-recorder", "--no-mouse"], { NO_COLOR: "1" });
    await plain.see("following");
    expect(await plain.info("#{mouse_sgr_flag}#{mouse_standard_flag}")).toBe("00");
  });

  it("y sends the message's text to the clipboard as OSC 52: tmux with set-clipboard on takes it", async () => {
    const dir = await tmpDir();
    await (await sessionWith(dir, 3, (i) => `clip me ${i} 日本`)).close();
    const written = path.join(dir, "pane-output");
    const t = await tui(["--logs", dir, "--no-recorder"], { NO_COLOR: "1" });
    await t.tmux("set-option", "-g", "set-clipboard", "on");
    await t.tmux("pipe-pane", "-o", "-t", "t", `cat >> '${written}'`);
    await t.see("clip me 3 日本");
    await t.keys("y");
    await t.see("copied 12 characters of the text (OSC 52)");
    const out = await waitFor(async () => {
      const text = await fs.readFile(written, "latin1").catch(() => "");
      return /\u001b\]52;c;[A-Za-z0-9+/=]+\u0007/.test(text) ? text : null;
    }, { what: "an OSC 52 sequence in what the program wrote" });
    const payload = /\u001b\]52;c;([A-Za-z0-9+/=]+)\u0007/.exec(out)![1];
    expect(Buffer.from(payload, "base64").toString("utf8")).toBe("clip me 3 日本");
    // Inside tmux a passthrough copy for the outer terminal follows.
    expect(out).toContain("\u001bPtmux;\u001b\u001b]52;c;");
    await waitFor(async () => (await t.tmux("show-buffer").catch(() => "")) === "clip me 3 日本", { what: "tmux's clipboard buffer" });
  });

  it("o shows the message in $PAGER on the main screen, then the TUI comes back", async () => {
    const dir = await tmpDir();
    await (await sessionWith(dir, 3, (i) => `page me ${i}`)).close();
    const copyDir = path.join(dir, "paged");
    await fs.mkdir(copyDir);
    // A pager that keeps the text it was given and waits for Enter, as a pager waits for q.
    const pager = `sh -c 'cp "$1" ${copyDir}/; read x' sh`;
    const t = await tui(["--logs", dir, "--no-recorder"], { NO_COLOR: "1", PAGER: pager });
    await t.see("page me 3");
    await t.keys("o");
    await waitFor(async () => (await t.info("#{alternate_on}")) === "0", { what: "the main screen while the pager runs" });
    const paged = await waitFor(async () => fs.readFile(path.join(copyDir, "message.txt"), "utf8").catch(() => null), { what: "the paged file" });
    expect(paged).toContain("page me 3");
    expect(paged).toContain("Payload");
    await t.keys("Enter");
    await t.see("back from the pager");
    expect(await t.info("#{alternate_on}")).toBe("1");
    expect(await t.screen()).toContain("Messages — current session");
  });

  it("highlights the words a search matched", async () => {
    const dir = await tmpDir();
    await (await sessionWith(dir, 10, (i) => (i === 6 ? "a quokka and another quokka" : `routine update ${i}`))).close();
    const t = await tui(["--logs", dir, "--no-recorder"], { NO_COLOR: "1" });
    await t.see("routine update 10");
    await t.keys("/");
    await t.type("quokka");
    await t.see("1 hits");
    // Underlined even without colour (NO_COLOR), each of the two words.
    await waitFor(async () => ((await t.screenWithStyles()).match(/\u001b\[[\d;]*4[\d;]*m(?:\u001b\[[\d;]*m)*quokka/g) ?? []).length >= 2, { what: "two highlighted words" });
  });
});
