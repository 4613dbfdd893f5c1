// The TUI in a real terminal opens a checkpoint of a compressed session at its newest messages.
import { describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { compactLogs } from "../../src/compact/compact.ts";
import { TmuxTerminal } from "../helpers/tmux.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { sealedFolder } from "./sealedSession.ts";

describe("the TUI on a compressed session", () => {
  it("shows a checkpoint of it from its newest messages, as for a plain one", async () => {
    const f = await sealedFolder(await tmpDir());
    expect((await compactLogs(f.dir)).compacted).toHaveLength(1);
    const t = await TmuxTerminal.start([process.execPath, BIN_PATH, "--no-recorder", "--logs", f.dir]);
    try {
      await t.see("Messages — current session");
      await t.keys("BTab");
      await t.see(/before new/);
      await t.keys("Down", "Enter"); // the newest checkpoint of the sealed session: all of it
      const screen = await t.see(/message 4499 about deploying/); // its last message, on the first screen
      expect(screen).toContain("Messages — checkpoint before new");
    } finally {
      await t.kill();
    }
  });
});
