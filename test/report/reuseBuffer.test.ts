// A report's scan reads every chunk into one buffer (lineScanner's reuseBuffer): the lines come out whole and
// unchanged — lines longer than a chunk, lines cut by a chunk's end, a partial last line left out — and no new buffer
// is taken per chunk.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scanLineBatches } from "../../src/storage/lineScanner.ts";
import { openSessionSource } from "../../src/storage/sessionSource.ts";
import { tmpDir } from "../helpers/tmp.ts";

describe("a scan through one read buffer", () => {
  it("gives every complete line as written, reading all chunks into the same buffer", async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `{"seq":${i},"text":"${"é".repeat(i % 97)}${"x".repeat((i * 37) % 300)}"}`);
    const file = path.join(await tmpDir(), "s.jsonl");
    await fs.writeFile(file, `${lines.join("\n")}\n{"partial`, { mode: 0o600 });
    const fh = await openSessionSource(file);
    const seen: string[] = [];
    const buffers = new Set<ArrayBufferLike>();
    try {
      for await (const batch of scanLineBatches(fh, { from: 0, to: Infinity, firstIndex: 0, chunkBytes: 256, reuseBuffer: true })) {
        for (const e of batch) {
          buffers.add(e.bytes.buffer);
          seen.push(e.raw);
        }
      }
    } finally {
      await fh.close();
    }
    expect(seen).toEqual(lines);
    expect(buffers.size).toBeLessThan(10);
    expect(buffers.size).toBeGreaterThan(0); // a larger one only for lines longer than half a chunk, not one per chunk
  });
});
