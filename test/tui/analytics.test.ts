// The analytics pane (A) in a real terminal: the counts from the index at once, the full report's latency after,
// new messages of the live session counted within seconds, and a checkpoint's figures its own.
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { shearwaterSync } from "../helpers/cli.ts";
import { TmuxTerminal } from "../helpers/tmux.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { KNOWN, T0, writeSession } from "../report/sessions.ts";

const BIN = fileURLToPath(new URL("../../bin/shearwater.js", import.meta.url));
const terminals: TmuxTerminal[] = [];
afterEach(async () => {
  await Promise.all(terminals.splice(0).map((t) => t.kill()));
});

const MODULE_LOG = fileURLToPath(new URL("../helpers/moduleLog.mjs", import.meta.url));

/** The TUI, writing the modules it loads to `moduleLog`. */
async function tui(logs: string, moduleLog: string) {
  const argv = [process.execPath, "--import", MODULE_LOG, BIN, "tui", "--no-recorder", "--no-mouse", "--logs", logs];
  const t = await TmuxTerminal.start(argv, { columns: 100, rows: 60, cwd: os.tmpdir(), env: { SHEARWATER_TEST_MODULE_LOG: moduleLog } });
  terminals.push(t);
  return t;
}

/** Whether the program has loaded SQLite (better-sqlite3), by its log of modules. */
const sqliteLoaded = async (moduleLog: string) => (await fs.readFile(moduleLog, "utf8").catch(() => "")).includes("/node_modules/better-sqlite3/");

/** The program's process: the child of the pane's (exitStatus.mjs runs it). */
async function programPid(t: TmuxTerminal): Promise<number> {
  const pane = await t.info("#{pane_pid}");
  return Number(readFileSync(`/proc/${pane}/task/${pane}/children`, "utf8").trim().split(" ")[0]);
}

describe("the analytics pane", () => {
  it("shows the figures of the live session, counts new messages, and a checkpoint's own figures", { timeout: 90_000 }, async () => {
    const logs = path.join(await tmpDir(), "logs");
    const file = await writeSession(logs, KNOWN.slice(0, 4));
    expect(shearwaterSync("checkpoint", "--logs", logs, "four").status).toBe(0);
    const rest = (await fs.readFile(await writeSession(path.join(logs, "..", "scratch"), KNOWN), "utf8")).split("\n").slice(5).join("\n");
    await fs.appendFile(file, rest);

    const moduleLog = path.join(await tmpDir(), "modules.txt");
    const t = await tui(logs, moduleLog);
    await t.see("Messages");
    const pid = await programPid(t);
    // Once the index worker (a process of its own) is started, the first screen's work is done: SQLite is still
    // not loaded here, as it loads with the pane's first figures.
    await waitFor(() => readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim() !== "", { what: "the index worker" });
    expect(await sqliteLoaded(moduleLog)).toBe(false);
    await t.keys("A");
    await t.see(/Analytics — current session/);
    await t.see(/Messages by agent \(messages\)\n {2}a +█+ +7/);
    expect(await sqliteLoaded(moduleLog)).toBe(true);
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
