// The demo on a real terminal (tmux): live messages arrive within seconds, two checkpoints are there, and Q ends the
// demo and everything it started (broker, agents, recorder, with a final checkpoint).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { processExists, readRecorderState } from "../../src/control/recorderStatus.ts";
import { listCheckpoints } from "../../src/storage/checkpoints.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { tmpDir, watchFolder } from "../launcher/support.ts";
import { tmuxRun } from "../launcher/tmux.ts";

describe("shearwater demo", () => {
  it("shows messages arriving, and Q ends everything", { timeout: 60_000 }, async () => {
    const logsDir = path.join(await tmpDir(), "demo");
    watchFolder(logsDir);
    const [pub, sub] = [await freeEndpoint(), await freeEndpoint()];
    const pane = tmuxRun([process.execPath, BIN_PATH, "demo", "--logs", logsDir, "--pub", pub, "--sub", sub, "--rate", "600"]);

    const messages = async () => (await readRecorderState(logsDir)).status?.session.messages ?? 0;
    await waitFor(() => /Checkpoints/.test(pane.screen()), { timeoutMs: 25_000, what: "the demo's TUI" });
    expect((await listCheckpoints(logsDir)).map((c) => c.label)).toEqual(expect.arrayContaining(["design-review", "before-release"]));
    pane.keys("V"); // recent messages, following the live tail
    await waitFor(() => /planner/.test(pane.screen()) && /coder/.test(pane.screen()), { what: "the agents' messages on screen" });
    const first = pane.screen();
    const before = await messages();
    await waitFor(async () => (await messages()) > before + 5 && pane.screen() !== first, { what: "live messages to keep arriving" });
    const { pid } = (await readRecorderState(logsDir)).status!;

    pane.keys("Q");
    await waitFor(() => !pane.running(), { timeoutMs: 20_000, what: `the demo to end; screen:\n${pane.screen()}` });
    expect(processExists(pid)).toBe(false);
    expect((await readRecorderState(logsDir)).status?.state).toBe("stopped");
    expect((await listCheckpoints(logsDir)).length).toBeGreaterThanOrEqual(3); // the two seeded and the final one
  });
});
