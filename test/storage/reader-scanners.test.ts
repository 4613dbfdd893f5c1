// The scanners behind SessionReader, streamEntries and follow, checked against a plain split of random files with
// tiny read sizes, so that lines cross chunk boundaries in every possible way.
import fc from "fast-check";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { completeEnd, scanBackwards } from "../../src/storage/backwardScanner.ts";
import { LineIndex } from "../../src/storage/lineIndex.ts";
import { scanLines } from "../../src/storage/lineScanner.ts";
import { tmpDir } from "../helpers/tmp.ts";

const lineText = fc.string({ unit: fc.constantFrom("a", "é", "日", "{", '"', " ", "\r", "😀"), maxLength: 40 });
const fileShape = fc.record({
  lines: fc.array(lineText, { maxLength: 40 }),
  partial: fc.option(lineText.filter((s) => s.length > 0), { nil: undefined }),
  chunk: fc.integer({ min: 1, max: 64 }),
});

interface Expected { offset: number; length: number; raw: string }

function expectedLines(lines: string[]): Expected[] {
  let offset = 0;
  return lines.map((raw) => {
    const length = Buffer.byteLength(raw);
    const e = { offset, length, raw };
    offset += length + 1;
    return e;
  });
}

async function withFile<T>(content: string, body: (fh: fs.FileHandle, size: number) => Promise<T>): Promise<T> {
  const file = path.join(await tmpDir(), "s.jsonl");
  await fs.writeFile(file, content);
  const fh = await fs.open(file, "r");
  try {
    return await body(fh, (await fh.stat()).size);
  } finally {
    await fh.close();
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const plain = (e: { index: number; offset: number; length: number; raw: string }) => ({ offset: e.offset, length: e.length, raw: e.raw });

describe("line scanners", () => {
  it("forward, backward and the index agree with splitting the file, whatever the read size", async () => {
    await fc.assert(
      fc.asyncProperty(fileShape, async ({ lines, partial, chunk }) => {
        const content = lines.map((l) => l + "\n").join("") + (partial ?? "");
        const want = expectedLines(lines);
        await withFile(content, async (fh, size) => {
          const forward = await collect(scanLines(fh, { from: 0, to: Infinity, firstIndex: 0, chunkBytes: chunk }));
          expect(forward.map(plain)).toEqual(want);
          expect(forward.map((e) => e.index)).toEqual(want.map((_, i) => i));

          const end = await completeEnd(fh, size);
          expect(end).toBe(Buffer.byteLength(lines.map((l) => l + "\n").join("")));
          const backward = await collect(scanBackwards(fh, end, lines.length - 1, chunk));
          expect(backward.map(plain)).toEqual([...want].reverse());
          expect(backward.map((e) => e.index)).toEqual(want.map((_, i) => i).reverse());

          const index = new LineIndex({ readBytes: chunk });
          const progress: number[] = [];
          await index.extend(fh, size, (done, total) => {
            expect(total).toBe(size);
            progress.push(done);
          });
          expect(index.count).toBe(lines.length);
          expect(index.end).toBe(end);
          expect([...progress].sort((a, b) => a - b)).toEqual(progress);
          want.forEach((w, i) => {
            expect(index.startOf(i)).toBe(w.offset);
            expect(index.lengthOf(i)).toBe(w.length);
            expect(index.indexOfOffset(w.offset)).toBe(i);
            expect(index.indexOfOffset(w.offset + w.length)).toBe(i); // its newline
          });
          expect(index.indexOfOffset(end)).toBe(-1);
        });
      }),
      { numRuns: 150 },
    );
  });

  it("a range of the file: the line cut by its end is left out, indexes are kept or unknown", async () => {
    const lines = ["one", "two", "three", "four"];
    await withFile(lines.map((l) => l + "\n").join(""), async (fh) => {
      const mid = await collect(scanLines(fh, { from: 4, to: 12, firstIndex: 1, chunkBytes: 3 }));
      expect(mid.map((e) => [e.index, e.raw])).toEqual([[1, "two"]]); // "three\n" ends at 14, beyond 12
      const unknown = await collect(scanLines(fh, { from: 8, to: Infinity, firstIndex: -1 }));
      expect(unknown.map((e) => [e.index, e.raw])).toEqual([[-1, "three"], [-1, "four"]]);
      const back = await collect(scanBackwards(fh, 14, -1, 2));
      expect(back.map((e) => [e.index, e.raw])).toEqual([[-1, "three"], [-1, "two"], [-1, "one"]]);
    });
  });

  it("the index grows incrementally as lines are appended, a partial line waiting for its newline", async () => {
    const dir = await tmpDir();
    const file = path.join(dir, "s.jsonl");
    await fs.writeFile(file, "aa\nbb\ncc");
    const fh = await fs.open(file, "r");
    try {
      const index = new LineIndex({ readBytes: 4 });
      expect(await index.extend(fh, (await fh.stat()).size)).toBe(2);
      expect(index.end).toBe(6);
      await fs.appendFile(file, "c\n" + "d".repeat(50) + "\n");
      expect(await index.extend(fh, (await fh.stat()).size)).toBe(2);
      expect([0, 1, 2, 3].map((i) => [index.startOf(i), index.lengthOf(i)])).toEqual([[0, 2], [3, 2], [6, 3], [10, 50]]);
      expect(await index.extend(fh, (await fh.stat()).size)).toBe(0);
      index.clear();
      expect(index.count).toBe(0);
      expect(await index.extend(fh, (await fh.stat()).size)).toBe(4);
    } finally {
      await fh.close();
    }
  });

  it("keeps 8 bytes per line in typed blocks of 65,536 lines", async () => {
    await withFile("x\n".repeat(200_000), async (fh, size) => {
      const before = process.memoryUsage().arrayBuffers;
      const index = new LineIndex({ readBytes: 64 * 1024 });
      await index.extend(fh, size);
      const grown = process.memoryUsage().arrayBuffers - before;
      expect(index.count).toBe(200_000);
      expect(grown).toBeGreaterThanOrEqual(200_000 * 8);
      expect(grown).toBeLessThanOrEqual(Math.ceil(200_000 / 65_536) * 65_536 * 8 + 64 * 1024 + 16 * 1024); // + read buffer, slack
    });
  });
});
