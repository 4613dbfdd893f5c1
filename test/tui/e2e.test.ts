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

  it("starts a recorder, shows a message published through a real broker, and leaves the recorder recording", async () => {
    const dir = await tmpDir();
    const [pub, sub] = [await freeEndpoint(), await freeEndpoint()];
    const broker: RunningBroker = await startBroker({ pub, sub });
    cleanups.push(async () => broker.stop());
    cleanups.push(() => stopRecorder(dir)); // before the folder goes: the recorder was started for this test
    const t = await tui(["--logs", dir, "--broker", sub]);
    await t.see(/● recording/, 30_000);
    await t.keys("V");
    await t.see("Messages — current session");

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
});
