import fc from "fast-check";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { frameBytes, messageFields } from "../../src/recorder/frames.ts";
import { GapTracker, sequenceOf } from "../../src/recorder/gaps.ts";
import { PAYLOAD_JSON } from "../../src/storage/recordJson.ts";

const b = (s: string) => Buffer.from(s);
const LIMIT = 1 << 20;

describe("frames → record fields", () => {
  it("keeps [topic, JSON] and [JSON] as topic + payload, unchanged, with the JSON text as received", () => {
    const payload = { sender: "a", text: "héllo 👋", n: [1, 2.5, null, true], nested: { "": "" } };
    const text = JSON.stringify(payload, null, 1).replaceAll("\n", "\t"); // its whitespace kept as it is
    expect(messageFields([b("chat"), b(text)], LIMIT)).toEqual({ topic: "chat", payload, [PAYLOAD_JSON]: b(text) });
    expect(messageFields([b(text)], LIMIT)).toEqual({ topic: "", payload, [PAYLOAD_JSON]: b(text) });
    expect(messageFields([b("t"), b("42")], LIMIT)).toEqual({ topic: "t", payload: 42, [PAYLOAD_JSON]: b("42") });
  });

  it("puts a JSON text that spans lines on one line: its line breaks outside strings become spaces", () => {
    const text = '{\r\n  "s": "a\\nb",\n  "n": 1\n}';
    const fields = messageFields([b("t"), b(text)], LIMIT);
    expect(fields.payload).toEqual({ s: "a\nb", n: 1 });
    expect(Buffer.from(fields[PAYLOAD_JSON]!).toString()).toBe('{    "s": "a\\nb",   "n": 1 }');
  });

  it.each([
    ["binary body", [b("t"), Buffer.from([0, 1, 2, 0xff])]],
    ["invalid UTF-8 body", [b("t"), Buffer.from([0x7b, 0xc3, 0x28, 0x7d])]],
    ["invalid JSON", [b("t"), b("{not json")]],
    ["empty body", [b("t"), b("")]],
    ["one empty frame", [b("")]],
    ["no frames", []],
    ["three frames", [b("t"), b("{}"), b("{}")]],
    ["a non-UTF-8 topic", [Buffer.from([0xff, 0xfe]), b("{}")]],
    ["a BOM before the JSON", [b("t"), b("\ufeff{}")]],
  ])("keeps %s losslessly in frames", (_name, frames) => {
    const fields = messageFields(frames, LIMIT);
    expect(fields.payload).toBeUndefined();
    expect(fields.frames!.map(frameBytes)).toEqual(frames);
    expect(typeof fields.topic).toBe("string");
  });

  it("round-trips any multipart message through JSON losslessly", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 5 }), (arrays) => {
        const frames = arrays.map((a) => Buffer.from(a));
        const fields = JSON.parse(JSON.stringify(messageFields(frames, LIMIT)));
        if (fields.frames) expect(fields.frames.map(frameBytes)).toEqual(frames);
        else expect(Buffer.from(JSON.stringify(fields.payload))).toEqual(Buffer.from(JSON.stringify(JSON.parse(frames.at(-1)!.toString()))));
      }),
    );
  });

  it("records a message over the limit by size and hash", () => {
    const frames = [b("big"), Buffer.alloc(2000, 7)];
    const sha256 = createHash("sha256").update(frames[0]).update(frames[1]).digest("hex");
    expect(messageFields(frames, 1000)).toEqual({ topic: "big", oversize: { bytes: 2003, frames: 2, sha256, limit: 1000 } });
  });
});

describe("sender sequence gaps", () => {
  it("reports skipped numbers per sender, not restarts or other senders", () => {
    const g = new GapTracker();
    expect(g.observe("a", 1)).toBeNull();
    expect(g.observe("b", 7)).toBeNull();
    expect(g.observe("a", 2)).toBeNull();
    expect(g.observe("a", 5)).toEqual({ sender: "a", expected: 3, received: 5, missing: 2 });
    expect(g.observe("a", 1)).toBeNull(); // the publisher restarted
    expect(g.observe("b", 8)).toBeNull();
  });

  it("forgets the least recently seen senders beyond its bound, not an active one", () => {
    const g = new GapTracker(10);
    g.observe("active", 1);
    for (let i = 0; i < 100; i++) {
      g.observe(`once-${i}`, 1);
      g.observe("active", i + 2);
    }
    expect(g.observe("active", 103)).toEqual({ sender: "active", expected: 102, received: 103, missing: 1 });
    expect(g.observe("once-0", 5)).toBeNull(); // forgotten: seen as a new sender
  });

  it("reads seq or sequence from a payload", () => {
    expect(sequenceOf({ seq: 3 })).toBe(3);
    expect(sequenceOf({ sequence: 4 })).toBe(4);
    expect(sequenceOf({ seq: "3" })).toBeUndefined();
    expect(sequenceOf("x")).toBeUndefined();
  });
});
