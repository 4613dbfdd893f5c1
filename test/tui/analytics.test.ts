// The analytics pane (A) in a real terminal: the counts from the index at once, the full report's latency after,
// new messages of the live session counted within seconds, and a checkpoint's figures its own.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { shearwaterSync } from "../helpers/cli.ts";
import { TmuxTerminal } from "../helpers/tmux.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { KNOWN, T0, writeSession } from "../report/sessions.ts";

const BIN = fileURLToPath(new URL("../../bin/shearwater.js", import.meta.url));
const terminals: TmuxTerminal[] = [];
afterEach(async () => {
  await Promise.all(terminals.splice(0).map((t) => t.kill()));
});

async function tui(logs: string) {
  const t = await TmuxTerminal.start([process.execPath, BIN, "tui", "--no-recorder", "--no-mouse", "--logs", logs], { columns: 100, rows: 60, cwd: os.tmpdir() });
  terminals.push(t);
  return t;
}

describe("the analytics pane", () => {
  it("shows the figures of the live session, counts new messages, and a checkpoint's own figures", { timeout: 90_000 }, async () => {
    const logs = path.join(await tmpDir(), "logs");
    const file = await writeSession(logs, KNOWN.slice(0, 4));
    expect(shearwaterSync("checkpoint", "--logs", logs, "four").status).toBe(0);
    const rest = (await fs.readFile(await writeSession(path.join(logs, "..", "scratch"), KNOWN), "utf8")).split("\n").slice(5).join("\n");
    await fs.appendFile(file, rest);

    const t = await tui(logs);
    await t.see("Messages");
    await t.keys("A");
    await t.see(/Analytics — current session/);
    await t.see(/Messages by agent \(messages\)\n {2}a +█+ +7/);
    await t.see(/chains: 6 \(14 messages\)/, 30_000); // the full report, from its child process
    await t.keys("PageDown", "PageDown"); // the cursor to the foot of the pane, then a page on
    await t.see(/a→b +█+ +300 {2}p95 1000 ms, n 5/); // scrolled to the reply latency
    await t.keys("g");

    const more = Array.from({ length: 12 }, (_, i) => JSON.stringify({
      v: 1, seq: 100 + i, ts: new Date(T0 + 60_000 + i).toISOString(), kind: "message", topic: "agents", payload: { sender: "newcomer" }, meta: { agent: "newcomer", ace_tier: 3 },
    })).join("\n");
    await fs.appendFile(file, `${more}\n`);
    await t.see(/newcomer +█+ +12/, 20_000);

    await t.keys("Escape"); // to the checkpoint list
    await t.see(/^Checkpoints —/m);
    await t.keys("Down", "Enter");
    await t.keys("A");
    await t.see(new RegExp(`Analytics — checkpoint four`));
    await t.see(/^4 messages, /m);
    await t.see(/Messages by agent \(messages\)\n {2}a +█+ +2\n {2}b +█+ +2/);
    await t.keys("Q");
    expect(await t.exited()).toBe(0);
  });
});
