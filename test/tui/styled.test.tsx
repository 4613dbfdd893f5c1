// Styles in the frames the real app draws: highlighted search matches, the pane that has the keys (inverse).
import "./forceColor.ts";
import { describe, it } from "vitest";
import { layoutFor } from "../../components/layout.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { cleanup, KEY, open } from "./appHarness.tsx";
import { sessionWith } from "./session.ts";

/** A word drawn underlined (with whatever other styles come with it). */
const marked = /\u001b\[4m(?:\u001b\[[\d;]*m)*(zebra)/gi;
const INVERSE = "\u001b[7m";

describe("styles in the TUI", () => {
  it("highlights the matched words in the result rows and in the opened message", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 10, (i) => (i === 4 ? "the Zebra crossing, a zebra" : `plain message ${i}`));
    cleanup(() => writer.close());
    const t = await open(dir, { columns: 120, rows: 30 });
    await t.press("/", ..."zebra");
    await t.see("1 hits");
    await t.waitFor(() => [...t.styled().matchAll(marked)].length >= 2, "both words highlighted in the result row");
    await t.press(KEY.enter);
    await t.see("hit 1/1 (n/N)");
    await t.press(KEY.enter);
    await t.see("Message · seq 5");
    await t.waitFor(() => [...t.styled().matchAll(marked)].map((m) => m[1]).includes("Zebra"), "the words highlighted in the message");
  });

  it("the wheel scrolls the pane under the pointer, a click selects a row and gives its pane the keys", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 60);
    cleanup(() => writer.close());
    const t = await open(dir, { columns: 120, rows: 30 });
    await t.see("hello number 60");
    const layout = layoutFor(120, 30, false);
    const viewerX = layout.leftColumns + 10; // 1-based columns in the report
    await t.press(`\u001b[<64;${viewerX};10M`);
    await t.see("paused");
    // A click on the checkpoint list's first row gives it the keys; a click on a message row selects that message.
    await t.press(`\u001b[<0;5;${layout.bodyTop + 2}M`);
    await t.waitFor(() => /Checkpoints/.test(t.styled().split("\n")[layout.bodyTop]) && t.styled().split("\n")[layout.bodyTop].startsWith(INVERSE), "the checkpoint list focused");
    const lines = t.frame().split("\n");
    const row = lines.findIndex((l) => l.includes("hello number 40"));
    await t.press(`\u001b[<0;${viewerX};${row + 1}M`, KEY.enter);
    await t.see("hello number 40");
    await t.see(/Message · seq 41/);
  });
});
