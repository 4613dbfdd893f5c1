import { describe, expect, it } from "vitest";
import type { Key } from "ink";
import { BINDINGS, COMMANDS, helpLines, KEY_MODES, modesOf, routeKey } from "../../components/keys.ts";

const none: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false,
  end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false,
  meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};
const press = (input: string, extra: Partial<Key> = {}) => [input, { ...none, ...extra }] as const;

describe("key table", () => {
  it("has every key of docs/SPEC.md", () => {
    const keys = new Set(BINDINGS.flatMap((b) => b.keys));
    for (const k of ["L", "N", "V", "S", "/", "D", "C", "Q", "?", "tab", "up", "down", "j", "k", "pageUp", "pageDown", "g", "G", "return", "escape", "f", "n"]) {
      expect(keys, k).toContain(k);
    }
    expect(helpLines().length).toBe(BINDINGS.length);
  });

  it("routes the original menu letters in a pane", () => {
    expect(routeKey(...press("L"), "pane")).toEqual({ type: "command", command: "load" });
    expect(routeKey(...press("N"), "pane")).toEqual({ type: "command", command: "newSession" });
    expect(routeKey(...press("q"), "pane")).toEqual({ type: "command", command: "quit" });
    expect(routeKey(...press("c", { ctrl: true }), "pane")).toEqual({ type: "command", command: "quit" });
    expect(routeKey(...press("", { downArrow: true }), "pane")).toEqual({ type: "command", command: "down" });
  });

  it("n / N step through hits after a search jump", () => {
    expect(routeKey(...press("N"), "hitContext")).toEqual({ type: "command", command: "prevHit" });
    expect(routeKey(...press("n"), "hitContext")).toEqual({ type: "command", command: "nextHit" });
    expect(routeKey(...press("n"), "pane")).toEqual({ type: "none" });
  });

  it("a dialog takes keys first", () => {
    expect(routeKey(...press("q"), "dialog")).toEqual({ type: "none" });
    expect(routeKey(...press("y"), "dialog")).toEqual({ type: "confirm", yes: true });
    expect(routeKey(...press("", { escape: true }), "dialog")).toEqual({ type: "confirm", yes: false });
    expect(routeKey(...press("Q"), "textDialog")).toEqual({ type: "text", edit: { insert: "Q" } });
    expect(routeKey(...press("", { return: true }), "textDialog")).toEqual({ type: "text", edit: { submit: true } });
  });

  it("the search box types letters and keeps arrows, Enter and Esc as commands", () => {
    expect(routeKey(...press("q"), "searchInput")).toEqual({ type: "text", edit: { insert: "q" } });
    expect(routeKey(...press("", { return: true }), "searchInput")).toEqual({ type: "command", command: "open" });
    expect(routeKey(...press("", { escape: true }), "searchInput")).toEqual({ type: "command", command: "back" });
    expect(routeKey(...press("\u001b[2J"), "searchInput")).toEqual({ type: "none" });
  });

  it("gives no key two meanings in one mode", () => {
    for (const mode of KEY_MODES) {
      const seen = new Map<string, string>();
      for (const b of BINDINGS.filter((x) => modesOf(x).includes(mode))) {
        for (const k of b.keys) {
          expect(seen.get(k), `${k} in ${mode}: ${seen.get(k)} and ${b.command}`).toBeUndefined();
          seen.set(k, b.command);
        }
      }
    }
  });

  it("binds every command to a key, with help text", () => {
    for (const c of COMMANDS) {
      const bound = BINDINGS.filter((b) => b.command === c);
      expect(bound.length, c).toBeGreaterThan(0);
      for (const b of bound) expect(b.help.trim().length, c).toBeGreaterThan(3);
    }
  });

  it("copies and opens the pager from the message list", () => {
    expect(routeKey(...press("y"), "pane")).toEqual({ type: "command", command: "copyText" });
    expect(routeKey(...press("Y"), "hitContext")).toEqual({ type: "command", command: "copyRecord" });
    expect(routeKey(...press("o"), "pane")).toEqual({ type: "command", command: "pager" });
    expect(routeKey(...press("y"), "dialog")).toEqual({ type: "confirm", yes: true });
  });
});
