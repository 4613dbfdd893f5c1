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
import { TmuxTerminal } from "../helpers/tmux.ts";

describe("shearwater demo", () => {
  it("shows messages arriving, and Q ends everything", { timeout: 60_000 }, async () => {
    const logsDir = path.join(await tmpDir(), "demo");
    watchFolder(logsDir);
    const [pub, sub] = [await freeEndpoint(), await freeEndpoint()];
    const term = await TmuxTerminal.start([process.execPath, BIN_PATH, "demo", "--logs", logsDir, "--pub", pub, "--sub", sub, "--rate", "600"], { columns: 120, rows: 36 });
    try {
      const messages = async () => (await readRecorderState(logsDir)).status?.session.messages ?? 0;
      // The demo opens on the live messages.
      const first = await term.see(/planner[\s\S]*coder|coder[\s\S]*planner/, 25_000);
      expect((await listCheckpoints(logsDir)).map((c) => c.label)).toEqual(expect.arrayContaining(["design-review", "before-release"]));
      const before = await messages();
      await waitFor(async () => (await messages()) > before + 5 && (await term.screen()) !== first, { what: "live messages to keep arriving" });
      const { pid } = (await readRecorderState(logsDir)).status!;

      await term.keys("Q");
      expect(await term.exited(20_000)).toBe(0);
      expect(processExists(pid)).toBe(false);
      expect((await readRecorderState(logsDir)).status?.state).toBe("stopped");
      expect((await listCheckpoints(logsDir)).length).toBeGreaterThanOrEqual(3); // the two seeded and the final one
    } finally {
      await term.kill();
    }
  });
});
