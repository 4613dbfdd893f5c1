// The Ink app over a real logs folder (no recorder: actions go straight to the files), in a fake terminal of a
// fixed size (appHarness.tsx).
import { describe, expect, it } from "vitest";
import fs from "node:fs/promises";
import path from "node:path";
import { LiveServices } from "../../components/store/services.ts";
import type { RecorderStatus } from "../../src/control/recorderStatus.ts";
import { createCheckpoint, listCheckpoints } from "../../src/storage/checkpoints.ts";
import { HOSTILE } from "../helpers/hostileText.ts";
import { stoppedStatus } from "../helpers/recorderStatus.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { cleanup, KEY, open } from "./appHarness.tsx";
import { chat, sessionWith } from "./session.ts";

describe("the TUI app", () => {
  it("opens on the live tail at 80×24, draws it exactly, moves through the tabs, and quits on Q", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 30);
    cleanup(() => writer.close());
    const t = await open(dir);
    await t.see("hello number 30");
    await t.see("following");
    const lines = t.frame().split("\n");
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    // The newest message is the last row of the list, right above the status bar.
    expect(lines.at(-2)).toContain("hello number 30");
    await t.press(KEY.esc);
    await t.see(/\d{4}-\d\d-\d\d \d\d:\d\d +31 records +[\d.]+KB current session/);
    expect(t.frame()).not.toContain("hello number 30");
    await t.press(KEY.tab);
    await t.see("hello number 30");
    await t.press(KEY.tab);
    await t.see("Search:");
    await t.press(KEY.tab);
    await t.see("recorder: not running");
    await t.press("?");
    await t.see("next search hit");
    await t.press(KEY.esc, "q");
    await waitFor(() => t.quit(), { what: "quit" });
  });

  it("shows untrusted text harmlessly", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 1, () => "evil \u001b[2J\u001b]0;owned\u0007 text");
    cleanup(() => writer.close());
    const t = await open(dir);
    await t.see("evil ␛[2J␛]0;owned␇ text");
    expect(t.ui.lastFrame()).not.toContain("\u001b[2J");
    expect(t.ui.lastFrame()).not.toContain("\u001b]0;");
  });

  it("follows the live tail, counts new messages when scrolled up, resumes on G", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 50);
    cleanup(() => writer.close());
    const t = await open(dir);
    await t.see("hello number 50");
    await writer.appendMany([chat(51), chat(52)]);
    await t.see("hello number 52");
    await t.press("k", "k");
    await t.see("paused");
    await writer.appendMany([chat(53), chat(54), chat(55)]);
    await t.see("↓ 3 new (f/G)");
    await t.press("G");
    await t.see("following");
    await t.see("hello number 55");
  });

  it("opens a message in detail with its payload as folding JSON", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 5);
    cleanup(() => writer.close());
    const t = await open(dir);
    await t.see("hello number 5");
    await t.press(KEY.enter);
    await t.see("Payload (Enter folds)");
    await t.see('"list": [');
    expect(t.frame()).toContain("from: alice");
    // Cursor down to the `"data": {` line and fold it.
    const lines = t.frame().split("\n");
    const dataLine = lines.findIndex((l) => l.includes('"data": {'));
    const firstLine = lines.findIndex((l) => l.startsWith("Message · seq"));
    for (let i = firstLine; i < dataLine; i++) await t.press("j");
    await t.press(KEY.enter);
    await t.see('"data": { … 2 keys }');
    await t.press(KEY.esc);
    await t.see("Messages — current session");
    // The same in one chunk: the detail opens unfolded, and the keys after Enter scroll it before it is drawn.
    t.ui.stdin.write(`${KEY.enter}${"j".repeat(dataLine - firstLine)}${KEY.enter}`);
    await t.see('"data": { … 2 keys }');
  });

  it("searches as you type and jumps to the hit in its context", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 40, (i) => (i === 17 ? "the zebra crossing" : `plain message ${i}`));
    cleanup(() => writer.close());
    const t = await open(dir);
    await t.press("/");
    for (const ch of "zebra") await t.press(ch);
    await t.see("1 hits");
    await t.see("the zebra crossing");
    await t.press(KEY.enter);
    await t.see("hit 1/1 (n/N)");
    await t.see("the zebra crossing");
    // The hit is selected: opening it shows seq 18 (seq 1 is session_started).
    await t.press(KEY.enter);
    await t.see("seq 18");
  });

  it("steps through search hits with n and N in the message list", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 20, (i) => (i % 5 === 0 ? `apple pie ${i}` : `plain message ${i}`));
    cleanup(() => writer.close());
    const t = await open(dir);
    await t.press("/", ..."apple");
    await t.see("4 hits");
    await t.press(KEY.enter);
    await t.see("Messages — current session");
    const selectedSeq = async () => {
      await t.see(/hit \d\/4 \(n\/N\)/);
      await t.press(KEY.enter);
      const seq = Number((await t.see(/Message · seq \d+/)) && /Message · seq (\d+)/.exec(t.frame())![1]);
      await t.press(KEY.esc);
      await t.see("Messages — current session");
      return seq;
    };
    await t.see("hit 1/4");
    const first = await selectedSeq();
    await t.press("n");
    await t.see("hit 2/4");
    const second = await selectedSeq();
    await t.press("N");
    await t.see("hit 1/4");
    expect(await selectedSeq()).toBe(first);
    expect([first, second]).toEqual([6, 11]); // hits in file order: seq 1 is session_started
  });

  it("takes a checkpoint with a label after asking, and lists it beside the messages", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 12);
    await writer.close(); // no recorder: the TUI works on the files
    const t = await open(dir, { columns: 120, rows: 40 });
    await t.press("C");
    await t.see("Checkpoint label:");
    for (const ch of "before-refactor") await t.press(ch);
    await t.press(KEY.enter);
    await t.see(/Checkpoint \S+ taken: 12 msgs/);
    await t.press("x");
    await t.see(/ 12 msgs /);
    await t.see("before-refactor");
    expect((await listCheckpoints(dir))[0].label).toBe("before-refactor");
  });

  it("routes keys that arrive in one chunk each against the state the key before left", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 3);
    await writer.close();
    const t = await open(dir);
    await t.see("current session");
    // C opens the label prompt (not drawn yet when the letters arrive), the letters are typed, Enter takes it.
    t.ui.stdin.write("Cfast\r");
    await t.see(/Checkpoint \S+ taken: 3 msgs/);
    expect((await listCheckpoints(dir))[0].label).toBe("fast");
  });

  it("loads a checkpoint after asking: the current session is sealed, the checkpoint's messages come back", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 3);
    await writer.close();
    const t = await open(dir);
    await t.press("C");
    for (const ch of "three") await t.press(ch);
    await t.press(KEY.enter);
    await t.see("taken");
    await t.press("x", KEY.esc);
    await t.see(/ 3 msgs .*three/);
    await t.press(KEY.down, "L");
    await t.see('Load checkpoint "three"?');
    await t.press("y");
    await t.see("Loaded");
    await t.press("x", "V");
    await t.see("Messages — current session");
    await t.see("hello number 3");
    await t.see("session_started");
  });

  it("says when the terminal is too small", async () => {
    const dir = await tmpDir();
    const t = await open(dir, { columns: 30, rows: 8 });
    await t.see("Terminal too small");
  });
});

describe("the TUI app when an action fails", () => {
  it("stays up and shows why when a checkpoint's session file is gone: opening it, then loading it", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 3);
    const cp = await createCheckpoint(dir, await writer.snapshot(), "orphan");
    await writer.close();
    await fs.rm(path.join(dir, "current_session.jsonl"));
    const t = await open(dir, { columns: 160, rows: 24 }); // wide enough for the whole error on one line
    await t.see(/ 3 msgs .*orphan/);
    await t.press(KEY.esc, KEY.down, KEY.enter);
    await t.see(`Cannot open checkpoint ${cp.id}: session ${cp.session} not found`);
    await t.press("x");
    await t.see("Checkpoints — Enter view");
    await t.press("L");
    await t.see('Load checkpoint "orphan"?');
    await t.press("y");
    await t.see(/any key: close/);
    expect(t.frame()).toMatch(/not found|no such file|ENOENT/i);
    await t.press("x", KEY.tab);
    await t.see("Messages");
    expect(t.quit()).toBe(false);
  });

  it("shows a failure that is thrown at once, not only one that comes later", async () => {
    const dir = await tmpDir();
    await (await sessionWith(dir, 2)).close();
    const services = new (class extends LiveServices {
      override checkpoint(): Promise<string> {
        throw new Error("the disk is on fire");
      }
    })(dir);
    const t = await open(dir, undefined, services);
    await t.see("current session");
    t.ui.stdin.write("Cmark\r");
    await t.see("the disk is on fire");
    await t.press("x");
    await t.see("Messages — current session");
  });

  it("shows labels, banners and the recorder's errors inert in dialogs and diagnostics", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 2);
    await createCheckpoint(dir, await writer.snapshot(), HOSTILE);
    await writer.close();
    await fs.writeFile(path.join(dir, "recorder.status.json"), JSON.stringify(hostileStatus(dir)));
    const t = await open(dir);
    t.store.setBanner(`recorder could not be started: ${HOSTILE}`);
    await t.see("⚠ recorder could not be started: evil ␛[2J");
    await t.press(KEY.esc, KEY.down, "L");
    await t.see('Load checkpoint "evil ␛[2J␛]0;owned␇');
    expect(t.ui.lastFrame()).not.toMatch(INJECTED);
    await t.press("n", "D");
    await t.see("broker tcp://evil ␛[2J");
    await t.see("error 2026-12-01T10:04:00.000Z: write failed: evil ␛[2J");
    expect(t.ui.lastFrame()).not.toMatch(INJECTED);
  });
});

describe("the recorder's trouble in the banner", () => {
  it.each([
    ["an error of the last minute", "recording", "automatic checkpoint failed: ENOTDIR", "⚠ recorder: automatic checkpoint failed: ENOTDIR"],
    ["failing writes", "degraded", "write failed: ENOSPC", "⚠ recorder: writes failing, 4096 bytes waiting — write failed: ENOSPC"],
    ["a crash", "crashed", "crashed: Error: boom", "⚠ recorder crashed: crashed: Error: boom"],
  ] as const)("shows %s", async (_what, state, message, banner) => {
    const dir = await tmpDir();
    await (await sessionWith(dir, 2)).close();
    const now = new Date().toISOString();
    const status = { ...hostileStatus(dir), pid: process.pid, state, updated_at: now, backlog_bytes: 4096, errors: [{ at: now, message }] };
    await fs.writeFile(path.join(dir, "recorder.status.json"), JSON.stringify(status));
    const t = await open(dir);
    await t.see(banner);
  });
});

/** What the hostile text holds that Ink's own styling never writes: its escape sequences and controls. */
const INJECTED = /\u001b\[2J|\u001b\]0;|[\u0007\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/;

function hostileStatus(logsDir: string): RecorderStatus {
  return stoppedStatus(logsDir, {
    endpoints: [{ endpoint: `tcp://${HOSTILE}`, connected: false, since: null }],
    last_checkpoint: { id: "20261201T100500000Z_evil", label: HOSTILE, created_at: "2026-12-01T10:05:00.000Z" },
    errors: [{ at: "2026-12-01T10:04:00.000Z", message: `write failed: ${HOSTILE}` }],
  });
}
