import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../../src/record.ts";
import { sanitizeForTerminal, snippetOf } from "../../src/text/sanitize.ts";

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function message(payload: unknown, extra: Partial<SessionRecord> = {}): SessionRecord {
  return { v: 1, seq: 1, ts: "2026-11-24T01:02:03.000Z", kind: "message", topic: "t", payload, meta: {}, ...extra } as SessionRecord;
}

describe("sanitizeForTerminal", () => {
  it("makes escape sequences and control characters visible", () => {
    expect(sanitizeForTerminal("red \x1b[31mALERT\x1b[0m")).toBe("red ␛[31mALERT␛[0m");
    expect(sanitizeForTerminal("title\x1b]0;pwned\x07")).toBe("title␛]0;pwned␇");
    expect(sanitizeForTerminal("a\rb\nc\td\0")).toBe("a␍b␊c␉d␀");
    expect(sanitizeForTerminal("csi\u009b2J del\u007f")).toBe("csi\\x9b2J del␡");
    expect(sanitizeForTerminal("evil\u202eexe.txt")).toBe("evil\\u202eexe.txt");
    expect(sanitizeForTerminal("marks\u200e\u200f\u061c lines\u2028\u2029")).toBe("marks\\u200e\\u200f\\u061c lines\\u2028\\u2029");
    expect(sanitizeForTerminal("line one\nline two\x1b", { keepNewlines: true })).toBe("line one\nline two␛");
  });

  it("leaves ordinary text, emoji and other scripts alone", () => {
    const text = "héllo wörld — 日本語 👋 ✓";
    expect(sanitizeForTerminal(text)).toBe(text);
  });

  it("never lets a control character through, and is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const once = sanitizeForTerminal(s);
        expect(CONTROL.test(once)).toBe(false);
        expect(sanitizeForTerminal(once)).toBe(once);
      }),
    );
  });
});

describe("snippetOf", () => {
  it("takes the payload's text field, one level down too", () => {
    expect(snippetOf(message({ sender: "a", text: "hello  there\nfriend" }))).toBe("hello there friend");
    expect(snippetOf(message({ content: "c" }))).toBe("c");
    expect(snippetOf(message({ message: { body: "nested" } }))).toBe("nested");
    expect(snippetOf(message("plain string payload"))).toBe("plain string payload");
  });

  it("falls back to compact JSON, then frames, and says when a message was too big", () => {
    expect(snippetOf(message({ n: 1, ok: true }))).toBe('{"n":1,"ok":true}');
    expect(snippetOf(message(undefined, { frames: [{ text: "t1" }, { base64: "AAEC" }] } as Partial<SessionRecord>))).toBe("t1 | [3 bytes binary]");
    const over = message(undefined, { oversize: { bytes: 99, frames: 2, sha256: "x", limit: 10 } } as Partial<SessionRecord>);
    expect(snippetOf(over)).toContain("99 bytes");
  });

  it("describes events, is sanitized and cut to length", () => {
    const ev = { v: 1, seq: 2, ts: "2026-11-24T01:02:03.000Z", kind: "event", event: "gap", missing: 3 } as SessionRecord;
    expect(snippetOf(ev)).toBe('gap {"missing":3}');
    expect(snippetOf(message({ text: "\x1b[2Jgone" }))).toBe("␛[2Jgone");
    const long = snippetOf(message({ text: "w ".repeat(5000) }), 100);
    expect(long).toHaveLength(100);
    expect(long.endsWith("…")).toBe(true);
  });
});
