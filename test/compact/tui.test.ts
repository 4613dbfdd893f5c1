// The TUI in a real terminal opens a checkpoint of a compressed session, or of an encrypted one (with the identity in
// its environment), at its newest messages.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { compactLogs } from "../../src/compact/compact.ts";
import { TmuxTerminal } from "../helpers/tmux.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { ageKeygen } from "../backup/support.ts";
import { sealedFolder } from "./sealedSession.ts";

describe("the TUI on a compressed session", () => {
  it("shows a checkpoint of it from its newest messages, as for a plain one", async () => {
    const f = await sealedFolder(await tmpDir());
    expect((await compactLogs(f.dir)).compacted).toHaveLength(1);
    await showsNewestOfSealed(f.dir, {});
  });

  it("shows a checkpoint of an encrypted one from its newest messages, with SHEARWATER_AGE_IDENTITY", async () => {
    const f = await sealedFolder(await tmpDir());
    const identity = path.join(await tmpDir(), "key.txt");
    const recipient = ageKeygen(identity);
    expect((await compactLogs(f.dir, { encryption: { recipients: [recipient] } })).compacted).toEqual([expect.objectContaining({ encrypted: true })]);
    await showsNewestOfSealed(f.dir, { SHEARWATER_AGE_IDENTITY: identity });
  });
});

/** The TUI on `dir`: the newest checkpoint of its sealed session opened shows that session's last message at once. */
async function showsNewestOfSealed(dir: string, env: Record<string, string>): Promise<void> {
  const t = await TmuxTerminal.start([process.execPath, BIN_PATH, "--no-recorder", "--logs", dir], { env });
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
}
