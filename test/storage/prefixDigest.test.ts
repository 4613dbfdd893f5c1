import fc from "fast-check";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PrefixDigest } from "../../src/storage/prefixDigest.ts";

const line = (seq: number, kind: "message" | "event", pad: number) =>
  kind === "message"
    ? `{"v":1,"seq":${seq},"ts":"2026-01-01T00:00:00.000Z","kind":"message","topic":"${"t".repeat(pad)}","payload":{"kind":"event"}}\n`
    : `{"v":1,"seq":${seq},"ts":"2026-01-01T00:00:00.000Z","kind":"event","event":"x","data":{"kind":"message"},"payload":"${"p".repeat(pad)}"}\n`;

describe("PrefixDigest", () => {
  it("gives the same hash, line and message counts however the bytes are split into chunks", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: fc.constantFrom("message" as const, "event" as const), pad: fc.integer({ min: 0, max: 300 }) }), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 20 }),
        (lines, cuts) => {
          const text = Buffer.from(lines.map((l, i) => line(i + 1, l.kind, l.pad)).join(""));
          const d = new PrefixDigest();
          let pos = 0;
          for (let k = 0; pos < text.length; k++) {
            const next = Math.min(text.length, pos + cuts[k % cuts.length]);
            d.update(text.subarray(pos, next));
            pos = next;
          }
          expect(d.state()).toEqual({
            bytes: text.length,
            lines: lines.length,
            messages: lines.filter((l) => l.kind === "message").length,
            sha256: createHash("sha256").update(text).digest("hex"),
          });
        },
      ),
    );
  });
});
