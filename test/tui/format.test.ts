import { describe, expect, it } from "vitest";
import fc from "fast-check";
import stringWidth from "string-width";
import { countText, sparkline } from "../../components/format.ts";
import { fit, wrap } from "../../src/text/width.ts";

describe("screen text", () => {
  it("writes counts as toLocaleString(\"en-US\") does", () => {
    fc.assert(fc.property(fc.nat(), (n) => countText(n) === n.toLocaleString("en-US")));
    expect(countText(1_000_000)).toBe("1,000,000");
  });

  it("fit always gives exactly the asked width, wide characters included", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom("日本語のテキスト", "emoji 🎉🎉 ok")), fc.integer({ min: 1, max: 40 }), (s, w) => {
        const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
        return stringWidth(fit(clean, w)) === w;
      }),
    );
    expect(fit("hello world", 6)).toBe("hello…");
    expect(fit("日本語", 5)).toBe("日本…");
  });

  it("wrap keeps every character and no line is wider than asked", () => {
    const lines = wrap("一二三四五六 abc\nxyz", 5);
    expect(lines.join("").replace(/\s/g, "")).toBe("一二三四五六abcxyz");
    expect(Math.max(...lines.map((l) => stringWidth(l)))).toBeLessThanOrEqual(5);
  });

  it("sparkline scales to the busiest bucket", () => {
    expect(sparkline([0, 0, 4, 8], 4)).toBe("  ▄█");
  });
});
