// Search matches marked in screen text: ranges survive sanitizing, fitting cuts them with the text, and the
// opened message finds the matched words in any letter case.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import stringWidth from "string-width";
import { fitMarked, matchedWords, rangesOfWords, sanitizeMarked } from "../../components/highlight.ts";
import { rowColumns, GAP } from "../../components/rowColumns.ts";

const marked = (segments: ReturnType<typeof fitMarked>) => segments.filter((s) => s.hit).map((s) => s.text);

describe("highlight ranges", () => {
  it("keep pointing at the matched words after control characters are made visible", () => {
    const text = "evil \u001b[2J deploy \u0007 failed";
    const m = sanitizeMarked(text, [[10, 16], [19, 25]]);
    expect(m.text).toBe("evil ␛[2J deploy ␇ failed");
    expect(m.hits.map(([a, b]) => m.text.slice(a, b))).toEqual(["deploy", "failed"]);
  });

  it("drop ranges that overlap or fall outside the text", () => {
    expect(sanitizeMarked("abc def", [[0, 3], [1, 2], [5, 99]]).hits).toEqual([[0, 3]]);
  });

  it("are cut with the text: a match past the width is not marked, one across it is marked up to the …", () => {
    const m = { text: "one two three four", hits: [[4, 7], [8, 13], [14, 18]] as [number, number][] };
    const segs = fitMarked(m, 11);
    expect(segs.map((s) => s.text).join("")).toBe("one two th…");
    expect(marked(segs)).toEqual(["two", "th"]);
    expect(marked(fitMarked(m, 30))).toEqual(["two", "three", "four"]);
  });

  it("fit to exactly the width, wide characters counted right", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), fc.integer({ min: 1, max: 40 }), fc.nat(30), fc.nat(30), (s, w, a, b) => {
        const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
        const [start, end] = [Math.min(a, b, clean.length), Math.min(Math.max(a, b), clean.length)];
        const segs = fitMarked({ text: clean, hits: end > start ? [[start, end]] : [] }, w);
        return stringWidth(segs.map((x) => x.text).join("")) === w;
      }),
    );
    expect(fitMarked({ text: "日本語のテキスト", hits: [[1, 3]] }, 7).map((s) => s.text)).toEqual(["日", "本語", "…"]);
  });

  it("find the words a hit matched in the opened message, whatever their case", () => {
    const words = matchedWords("a Zebra crossing, zebra", [[2, 7], [18, 23]]);
    expect(words).toEqual(["zebra"]);
    expect(rangesOfWords("ZEBRA and zebra (a.b)", [...words, "a.b"])).toEqual([[0, 5], [10, 15], [17, 20]]);
  });
});

describe("message row columns", () => {
  it("fill the row exactly with a blank column between neighbours, the text column readable", () => {
    for (let width = 40; width <= 200; width++) {
      const c = rowColumns(width);
      const cells = [c.time, c.who, c.tier, c.type, c.tags].filter((w) => w > 0);
      expect(cells.reduce((n, w) => n + w + GAP, 0) + c.text).toBe(width);
      expect(c.text).toBeGreaterThanOrEqual(16);
    }
  });
});
