// The checkpoint menu on a real terminal (tmux): `launch --json` with its stdout captured, as an agent runs it,
// draws the menu on the terminal, and the checkpoint chosen there is loaded and reported in the JSON.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { sendControl } from "../../src/control/client.ts";
import { PersistenceLauncher } from "../../src/launcher/PersistenceLauncher.ts";
import { listCheckpoints } from "../../src/storage/checkpoints.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { recorded, testBroker, testPublisher, tmpDir, watchFolder } from "./support.ts";
import { TmuxTerminal } from "../helpers/tmux.ts";

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe("the checkpoint menu", () => {
  it("lets the user load a checkpoint, and the agent gets that choice as JSON", { timeout: 60_000 }, async () => {
    const dir = await tmpDir();
    const logsDir = path.join(dir, "logs");
    watchFolder(logsDir);
    const { pub, sub } = await testBroker();
    const setup = new PersistenceLauncher({ logsDir, broker: sub, menu: false, pid: process.pid });
    await setup.onAgentConnected("setup");
    const publisher = await testPublisher(pub, logsDir);
    await publisher.send("planner", "the plan before the menu");
    await waitFor(() => recorded(logsDir, "the plan before the menu"), { what: "a message recorded" });
    await sendControl(logsDir, "checkpoint", { label: "before-menu" });
    const [checkpoint] = await listCheckpoints(logsDir);

    const out = path.join(dir, "choice.json");
    const launch = [process.execPath, BIN_PATH, "launch", "--agent", "menu_agent", "--json", "--logs", logsDir, "--broker", sub];
    const term = await TmuxTerminal.start(["sh", "-c", `exec ${launch.map(quote).join(" ")} > ${quote(out)}`], { columns: 120, rows: 36 });
    try {
      expect(await term.see("which conversation?", 30_000)).toContain("before-menu");
      await term.keys("Down", "Down", "Enter"); // past "continue" and "new": the newest checkpoint
      expect(await term.exited(20_000)).toBe(0);
    } finally {
      await term.kill();
    }

    const choice = JSON.parse(await fs.readFile(out, "utf8"));
    expect(choice).toMatchObject({ agent: "menu_agent", action: "load", checkpoint: { id: checkpoint.id, label: "before-menu" } });
    expect(await fs.readFile(choice.transcript.markdown, "utf8")).toContain("the plan before the menu");
    await setup.onAgentDisconnected();
  });
});
