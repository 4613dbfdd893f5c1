// The one-column fast path the build puts in front of every string-width: for every character it accepts, both
// string-width versions in use (ours and Ink's) give width 1, so the fast answer is always the exact one.
import { describe, expect, it } from "vitest";
import stringWidth from "string-width";
import inkStringWidth from "../../node_modules/ink/node_modules/string-width/index.js";
import { isNarrowText, narrowWidth } from "../../src/text/narrowText.ts";

const accepted = Array.from({ length: 0x3000 }, (_, cp) => String.fromCodePoint(cp)).filter((ch) => isNarrowText(ch));

describe("narrow text", () => {
  it("accepts only characters one column wide, by both string-widths", () => {
    expect(accepted.length).toBeGreaterThan(900);
    const wrong = accepted.filter((ch) => stringWidth(ch) !== 1 || inkStringWidth(ch) !== 1).map((ch) => ch.codePointAt(0)!.toString(16));
    expect(wrong).toEqual([]);
  });

  it("leaves out what is zero-width, wide, an emoji or a control, and text holding any of them", () => {
    for (const ch of ["\u00ad", "\u0301", "\u200b", "\u200d", "\u2028", "\u203c", "\u25fd", "\u25b6", "\u25c0", "\u25aa", "\u231a", "日", "👋", "\u001b", "\u007f", "\u009b"]) {
      expect(isNarrowText(`row ${ch} text`), ch.codePointAt(0)!.toString(16)).toBe(false);
    }
    expect(isNarrowText("11:16:38 reviewer → planner T3 request  …│ ▁▂▃▅▇█ é")).toBe(true);
    expect(isNarrowText("○ browsing · ● recording · ▸ thinking")).toBe(true);
  });

  it("measures styled text by what shows, as string-width does", () => {
    for (const text of ["\u001b[1m\u001b[31mbold red → here\u001b[39m\u001b[22m", "\u001b]8;;https://x\u0007link\u001b]8;;\u0007 …", "plain"]) {
      expect(narrowWidth(text)).toBe(stringWidth(text));
      expect(narrowWidth(text)).toBe(inkStringWidth(text));
    }
    expect(narrowWidth("\u001b[1m日本\u001b[22m")).toBeUndefined();
  });
});
