import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { initialWindow, listReducer, visibleRange, type ListAction, type ListWindow } from "../../components/state/listWindow.ts";
import { dialogReducer } from "../../components/state/dialog.ts";
import { initialSearch, searchReducer, stepHit } from "../../components/state/search.ts";
import { appReducer, initialApp } from "../../components/state/app.ts";
import { jsonLines, toggleFold } from "../../components/jsonLines.ts";
import { layoutFor } from "../../components/layout.ts";
import { SEARCH_DEBOUNCE_MS, searchDelay, SHORT_WORD_PAUSE_MS } from "../../components/useSearchAsYouType.ts";

const run = (s: ListWindow, ...actions: ListAction[]) => actions.reduce(listReducer, s);

describe("list window (virtual list)", () => {
  it("opens at the newest row and follows new rows", () => {
    let s = initialWindow(100, 10, true);
    expect(s).toMatchObject({ cursor: 99, top: 90, follow: true });
    s = run(s, { type: "grow", total: 105 });
    expect(s).toMatchObject({ cursor: 104, top: 95, unseen: 0 });
  });

  it("stops following when scrolled up, counts what arrives, resumes on end", () => {
    let s = run(initialWindow(100, 10, true), { type: "move", delta: -3 }, { type: "grow", total: 110 });
    expect(s).toMatchObject({ follow: false, cursor: 96, unseen: 10 });
    expect(visibleRange(s)).toEqual({ start: 90, end: 100 });
    s = run(s, { type: "end" });
    expect(s).toMatchObject({ follow: true, cursor: 109, unseen: 0, top: 100 });
    s = run(s, { type: "toggleFollow" }, { type: "toggleFollow" });
    expect(s.follow).toBe(true);
  });

  it("keeps its place counted from the end when the rows are renumbered", () => {
    const s = run(initialWindow(300, 10, true), { type: "move", delta: -20 }, { type: "rebase", total: 1_000_000 });
    expect(s.cursor).toBe(1_000_000 - 21);
    expect(visibleRange(s).end - visibleRange(s).start).toBe(10);
  });

  it("always keeps the cursor on screen and inside the list", () => {
    const action = fc.oneof(
      fc.record({ type: fc.constant("move" as const), delta: fc.integer({ min: -50, max: 50 }) }),
      fc.record({ type: fc.constant("page" as const), dir: fc.constantFrom(1 as const, -1 as const) }),
      fc.constantFrom({ type: "home" as const }, { type: "end" as const }, { type: "toggleFollow" as const }),
      fc.record({ type: fc.constant("resize" as const), height: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ type: fc.constant("grow" as const), total: fc.integer({ min: 0, max: 500 }) }),
      fc.record({ type: fc.constant("jump" as const), index: fc.integer({ min: 0, max: 500 }) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const s = run(initialWindow(50, 10, true), ...(actions as ListAction[]));
        const { start, end } = visibleRange(s);
        if (s.total === 0) return s.cursor === 0;
        return s.cursor >= start && s.cursor < end && s.cursor < s.total && end - start <= s.height && start >= 0;
      }),
    );
  });
});

describe("dialog", () => {
  it("asks, takes a label, reports", () => {
    let d = dialogReducer(null, { type: "ask", action: { type: "new" } });
    expect(d).toMatchObject({ kind: "confirm" });
    d = dialogReducer(null, { type: "askLabel" });
    for (const ch of "v1.0") d = dialogReducer(d, { type: "edit", edit: { insert: ch } });
    d = dialogReducer(d, { type: "edit", edit: { backspace: true } });
    expect(d).toEqual({ kind: "label", value: "v1." });
    expect(dialogReducer(d, { type: "done", ok: true, text: "taken" })).toEqual({ kind: "result", ok: true, text: "taken" });
  });
});

describe("search state", () => {
  it("ignores answers to older queries and steps through hits with wrap-around", () => {
    let s = initialSearch<string>(5);
    s = searchReducer(s, { type: "edit", edit: { insert: "ab" } });
    s = searchReducer(s, { type: "found", query: "a", hits: ["old"] });
    expect(s.hits).toEqual([]);
    s = searchReducer(s, { type: "started", query: "ab" });
    s = searchReducer(s, { type: "found", query: "ab", hits: ["x", "y"] });
    s = searchReducer(s, { type: "found", query: "ab", hits: ["z"] });
    expect(s).toMatchObject({ hits: ["x", "y", "z"], running: true });
    s = searchReducer(s, { type: "finished", query: "ab" });
    expect(s).toMatchObject({ running: false, hits: ["x", "y", "z"] });
    expect(s.list.cursor).toBe(0);
    expect(stepHit(s, -1).list.cursor).toBe(2);
    expect(stepHit(stepHit(s, 1), 1).list.cursor).toBe(2);
  });

  it("keeps the hits before on screen until the new query's first hit, and clears them when it finds nothing", () => {
    let s = searchReducer(initialSearch<string>(5), { type: "edit", edit: { insert: "a" } });
    s = searchReducer(searchReducer(s, { type: "found", query: "a", hits: ["one", "two"] }), { type: "finished", query: "a" });
    s = searchReducer(searchReducer(s, { type: "edit", edit: { insert: "b" } }), { type: "started", query: "ab" });
    expect(s).toMatchObject({ shownQuery: "a", hits: ["one", "two"], running: true });
    s = searchReducer(s, { type: "found", query: "ab", hits: ["three"] });
    expect(s).toMatchObject({ shownQuery: "ab", hits: ["three"] });
    s = searchReducer(searchReducer(s, { type: "edit", edit: { insert: "c" } }), { type: "finished", query: "abc" });
    expect(s).toMatchObject({ shownQuery: "abc", hits: [], running: false });
  });
});

describe("app panes", () => {
  it("opens on the messages, cycles panes and closes the detail when leaving messages", () => {
    expect(initialApp).toMatchObject({ pane: "messages", right: "messages" });
    let s = appReducer(initialApp, { type: "openDetail", index: 3 });
    expect(s).toMatchObject({ pane: "messages", detail: 3 });
    s = appReducer(s, { type: "cycle", dir: 1 });
    expect(s).toMatchObject({ pane: "search", right: "search", detail: null });
    expect(appReducer(s, { type: "cycle", dir: -1 }).pane).toBe("messages");
  });

  it("keeps the viewer's pane while the checkpoint list has the keys", () => {
    let s = appReducer(initialApp, { type: "show", pane: "diagnostics" });
    s = appReducer(s, { type: "show", pane: "checkpoints" });
    expect(s).toMatchObject({ pane: "checkpoints", right: "diagnostics" });
  });
});

describe("folding JSON", () => {
  it("collapses the object under the cursor and expands it again", () => {
    const value = { a: { b: [1, 2] }, t: "x\u001b[2J" };
    const clean = (t: string) => t.replace(/\u001b/g, "␛");
    const open = jsonLines(value, new Set(), clean);
    expect(open.map((l) => l.text)).toContain('"t": "x\\u001b[2J"');
    const folded = toggleFold(open, 2, new Set()); // line 2 is `"b": [` → folds /a/b
    const lines = jsonLines(value, folded, clean);
    expect(lines.map((l) => l.text)).toContain('"b": [ … 2 items ]');
    expect(toggleFold(lines, 2, folded).size).toBe(0);
  });
});

describe("layout", () => {
  it("says when the terminal is too small; 80×24 is fine", () => {
    expect(layoutFor(80, 24, false)).toMatchObject({ tooSmall: false, bodyRows: 22 });
    expect(layoutFor(30, 24, false).tooSmall).toBe(true);
    expect(layoutFor(80, 24, true).bodyRows).toBe(21);
  });
});

describe("search as you type", () => {
  it("waits for a fourth letter (or a pause) before searching a word of up to three letters being typed", () => {
    for (const q of ["m", "mi", "mer", "migration t", "schema que", "from:alice x", "a"]) expect(searchDelay(q), q).toBe(SHORT_WORD_PAUSE_MS);
    for (const q of ["merg", "migration time", "migration ", "x ", "abc "]) expect(searchDelay(q), q).toBe(SEARCH_DEBOUNCE_MS);
  });
});
