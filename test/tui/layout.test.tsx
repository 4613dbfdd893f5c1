// The TUI's layouts at three sizes, streaming search with highlights, copying and the mouse, drawn by the real app
// over real logs folders (appHarness.tsx).
import { describe, expect, it } from "vitest";
import stringWidth from "string-width";
import { layoutFor } from "../../components/layout.ts";
import { rowColumns } from "../../components/rowColumns.ts";
import type { SearchCallbacks } from "../../components/services.ts";
import { LiveServices } from "../../components/store/services.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { cleanup, KEY, open } from "./appHarness.tsx";
import { sessionWith } from "./session.ts";

const WIDE_TEXT = (i: number) => (i % 3 === 0 ? `日本語のテキスト ${i} 🎉 emoji and a long tail of words to be cut at the edge of the row` : `hello number ${i}`);
const BROKEN = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\uFFFD/;
const graphemes = new Intl.Segmenter();

/** The grapheme drawn at a screen column (a wide character's second column gives ""). */
function cellAt(line: string, column: number): string {
  let at = 0;
  for (const { segment } of graphemes.segment(line)) {
    const w = stringWidth(segment);
    if (column >= at && column < at + w) return column === at ? segment : "";
    at += w;
  }
  return " ";
}

describe("the layout", () => {
  it.each([
    [80, 24],
    [120, 40],
    [200, 60],
  ])("at %i×%i: the panes it should show, each line within the width, nothing overlapping or cut mid-character", async (columns, rows) => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 60, WIDE_TEXT);
    cleanup(() => writer.close());
    const t = await open(dir, { columns, rows });
    await t.see("日本語のテキスト 60");
    const lines = t.frame().split("\n");
    expect(lines).toHaveLength(rows);
    for (const l of lines) {
      expect(stringWidth(l), l).toBeLessThanOrEqual(columns);
      expect(l).not.toMatch(BROKEN);
    }
    // Opened on the live tail: following, the newest message on the last row above the status bar.
    expect(t.frame()).toContain("following");
    expect(lines.at(-2)).toContain("日本語のテキスト 60");
    const layout = layoutFor(columns, rows, false);
    expect(t.frame().includes("Checkpoints —")).toBe(layout.split);
    const body = lines.slice(layout.bodyTop, layout.bodyTop + layout.bodyRows);
    const viewerX = layout.split ? layout.leftColumns + 1 : 0;
    if (layout.split) {
      // The split is visible on every row, and nothing of one side runs into the other.
      for (const l of body) expect(cellAt(l, layout.leftColumns), l).toBe("│");
    }
    // Message rows: a blank column after each fixed column, whatever the row's characters.
    const c = rowColumns(layout.rightColumns);
    const gaps = [c.time, c.time + 1 + c.who, c.time + 1 + c.who + 1 + c.tier];
    const rowsShown = body.filter((l) => /^\d\d:\d\d:\d\d $/.test([...Array(9).keys()].map((k) => cellAt(l, viewerX + k)).join("")));
    expect(rowsShown.length).toBeGreaterThan(10);
    for (const l of rowsShown) for (const g of gaps) expect(cellAt(l, viewerX + g), `${l} @${g}`).toBe(" ");
  });

  it("at 120 columns and more, the detail opens below the checkpoint list, beside the messages", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 20);
    cleanup(() => writer.close());
    const t = await open(dir, { columns: 160, rows: 40 });
    await t.see("hello number 20");
    await t.press(KEY.enter);
    await t.see("Payload (Enter folds)");
    expect(t.frame()).toContain("Checkpoints —");
    expect(t.frame()).toContain("hello number 19");
    const lines = t.frame().split("\n");
    const listAt = lines.findIndex((l) => l.startsWith("Checkpoints —"));
    const detailAt = lines.findIndex((l) => l.startsWith("Detail —"));
    expect(detailAt).toBeGreaterThan(listAt);
    await t.press(KEY.esc);
    await t.waitGone("Detail —");
  });

  it("search takes the viewer's place with the query on top; Esc goes back to the tail where it was", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 40, (i) => (i === 17 ? "the zebra crossing" : `plain message ${i}`));
    cleanup(() => writer.close());
    const t = await open(dir, { columns: 120, rows: 30 });
    await t.see("plain message 40");
    await t.press("k", "k", "k");
    await t.see("paused");
    await t.press("/", ..."zebra");
    await t.see("1 hits");
    const lines = t.frame().split("\n");
    const layout = layoutFor(120, 30, false);
    expect(lines[layout.bodyTop].slice(layout.leftColumns + 1)).toMatch(/^Search: zebra▏/);
    expect(t.frame()).toContain("Checkpoints —");
    await t.press(KEY.esc);
    await t.see("Messages — current session");
    await t.see("paused");
    // The selected row is where it was: three above the newest.
    await t.press(KEY.enter);
    await t.see("seq 38");
  });
});

/** The real search, holding back every hit after the first until `release()`. */
class HeldSearch extends LiveServices {
  private opened!: () => void;
  private readonly gate = new Promise<void>((r) => (this.opened = r));
  finished = false;
  release(): void {
    this.opened();
  }
  override async search(query: string, cb: SearchCallbacks): Promise<void> {
    let first = true;
    const held: Array<Parameters<SearchCallbacks["onHit"]>[0]> = [];
    await super.search(query, { ...cb, onHit: (h) => (first ? cb.onHit(h) : held.push(h), (first = false)) });
    // A search the user typed past is cancelled like a real one: it stops waiting (it may be cancelled already, while
    // it ran: an aborted signal fires no event again).
    if (!cb.signal.aborted) await Promise.race([this.gate, new Promise((r) => cb.signal.addEventListener("abort", r))]);
    if (cb.signal.aborted) return;
    for (const h of held) cb.onHit(h);
    this.finished = true;
  }
}

describe("search in the TUI", () => {
  it("shows a result before the search ends, with a count that says more may come", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 30, (i) => (i % 3 === 0 ? `apple pie ${i}` : `plain message ${i}`));
    cleanup(() => writer.close());
    const services = new HeldSearch(dir);
    const t = await open(dir, { columns: 120, rows: 30 }, services);
    await t.press("/", ..."apple");
    await t.see("1+ hits · searching…");
    await t.see(/apple pie \d+/);
    expect(services.finished).toBe(false);
    services.release();
    await t.see("10 hits");
    expect(t.frame()).not.toContain("searching…");
  });
});

describe("copying and the mouse", () => {
  it("y copies the selected message's text and Y its record through OSC 52", async () => {
    const dir = await tmpDir();
    const writer = await sessionWith(dir, 5);
    cleanup(() => writer.close());
    const t = await open(dir);
    await t.see("hello number 5");
    await t.press("y");
    await t.see("copied 14 characters of the text (OSC 52)");
    const copied = () => [...t.output().matchAll(/\u001b\]52;c;([A-Za-z0-9+/=]*)\u0007/g)].map((m) => Buffer.from(m[1], "base64").toString());
    expect(copied()).toContain("hello number 5");
    await t.press("Y");
    await t.see("of the raw record");
    expect(JSON.parse(copied().at(-1)!)).toMatchObject({ seq: 6, payload: { text: "hello number 5" } });
  });
});
