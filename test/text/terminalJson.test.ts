import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeJsonForTerminal, terminalJson } from "../../src/text/terminalJson.ts";
import { HOSTILE, TERMINAL_UNSAFE } from "../helpers/hostileText.ts";

describe("terminalJson", () => {
  it("writes DEL, C1, bidi controls and line separators as \\u escapes", () => {
    expect(terminalJson({ label: HOSTILE })).toBe(
      String.raw`{"label":"evil \u001b[2J\u001b]0;owned\u0007 \u009b31m \u202egnp.exe \u2066x\u2069 \u200f\u061c\u2028\u2029\u007f end"}`,
    );
    expect(terminalJson({ a: [1, "é 日本 👋"] }, 2)).toBe(JSON.stringify({ a: [1, "é 日本 👋"] }, null, 2));
  });

  it("is valid JSON that parses back to the same value, with nothing a terminal acts on", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), fc.constantFrom(undefined, 2), (value, indent) => {
        const json = terminalJson(value, indent);
        expect(json).not.toMatch(TERMINAL_UNSAFE);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value))); // what JSON itself keeps (-0 is written 0)
      }),
    );
  });

  it("escapes a stored record line without changing what it says, big numbers included", () => {
    const line = `{"n":12345678901234567890,"x":1e400,"t":"a\u009bb\u202ec"}`;
    const safe = escapeJsonForTerminal(line);
    expect(safe).toBe(String.raw`{"n":12345678901234567890,"x":1e400,"t":"a\u009bb\u202ec"}`);
    expect(JSON.parse(safe)).toEqual(JSON.parse(line));
  });
});
