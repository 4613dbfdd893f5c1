import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SessionReader, streamEntries, type Entry } from "../../src/storage/sessionReader.ts";
import { tmpDir } from "../helpers/tmp.ts";

const opened: SessionReader[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.close()));
});

function line(seq: number, text = `message ${seq}`): string {
  return JSON.stringify({ v: 1, seq, ts: "2026-11-24T01:02:03.000Z", kind: "message", topic: "t", payload: { text }, meta: {} });
}

async function sessionFile(content: string): Promise<string> {
  const file = path.join(await tmpDir(), "current_session.jsonl");
  await fs.writeFile(file, content);
  return file;
}

async function open(file: string): Promise<SessionReader> {
  const r = await SessionReader.open(file);
  opened.push(r);
  return r;
}

async function collect(it: AsyncIterable<Entry>): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

const seqs = (es: Entry[]) => es.map((e) => e.record?.seq ?? null);

describe("SessionReader", () => {
  it("reads lines by index with positioned reads, offsets and lengths matching the file", async () => {
    const lines = Array.from({ length: 500 }, (_, i) => line(i + 1, "é".repeat(i % 7)));
    const content = lines.join("\n") + "\n";
    const file = await sessionFile(content);
    const r = await open(file);
    await r.buildIndex();
    expect(r.count).toBe(500);
    const bytes = Buffer.from(content);
    for (const i of [0, 1, 250, 499]) {
      const e = await r.read(i);
      expect(e.index).toBe(i);
      expect(e.raw).toBe(lines[i]);
      expect(bytes.subarray(e.offset, e.offset + e.length).toString()).toBe(lines[i]);
      expect(e.record?.seq).toBe(i + 1);
    }
    expect(seqs(await r.readRange(495, 10))).toEqual([496, 497, 498, 499, 500]);
    await expect(r.read(500)).rejects.toThrow(RangeError);
  });

  it("finds records by seq, directly and across damaged lines and shifted numbering", async () => {
    const lines = Array.from({ length: 300 }, (_, i) => line(i + 10));
    lines.splice(100, 0, "{not json", "");
    const r = await open(await sessionFile(lines.join("\n") + "\n"));
    expect(await r.indexOfSeq(10)).toBe(0);
    expect(await r.indexOfSeq(109)).toBe(99);
    expect(await r.indexOfSeq(110)).toBe(102); // after the two damaged lines: the first guess misses
    expect(await r.indexOfSeq(309)).toBe(301);
    expect(await r.indexOfSeq(9)).toBe(-1);
    expect(await r.indexOfSeq(310)).toBe(-1);
  });

  it("tails the newest lines without building the index", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => line(i + 1));
    const r = await open(await sessionFile(lines.join("\n") + "\n"));
    const last = await r.tail(50);
    expect(r.count).toBe(0); // no index was built
    expect(seqs(last)).toEqual(Array.from({ length: 50 }, (_, i) => 1951 + i));
    expect(last.every((e) => e.index === -1)).toBe(true);
    await r.buildIndex();
    expect(r.indexOfOffset(last[0].offset)).toBe(1950);
    const indexed = await r.tail(3);
    expect(indexed.map((e) => e.index)).toEqual([1997, 1998, 1999]);
    expect(seqs(await r.tail(5000))).toHaveLength(2000);
  });

  it("reads backwards from the newest line to the first", async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => line(i + 1, "x".repeat(i)));
    const r = await open(await sessionFile(lines.join("\n") + "\n"));
    const back = await collect(r.backwards());
    expect(seqs(back)).toEqual(Array.from({ length: 1000 }, (_, i) => 1000 - i));
    expect(back.map((e) => e.raw)).toEqual([...lines].reverse());
  });

  it("shows a damaged middle line as a marker, never skips or throws", async () => {
    const content = [line(1), "{\"v\":1,\"seq\":2,", line(3), "[1,2]", line(5)].join("\n") + "\n";
    const r = await open(await sessionFile(content));
    for (const es of [await collect(r.entries()), await r.tail(5), await collect(streamEntries(r.file))]) {
      expect(es).toHaveLength(5);
      expect(es[1].record).toBeNull();
      expect(es[1].damaged).toMatch(/JSON|Unexpected|unterminated|end/i);
      expect(es[1].raw).toBe("{\"v\":1,\"seq\":2,");
      expect(es[3].damaged).toBe("not a JSON object");
      expect(seqs(es)).toEqual([1, null, 3, null, 5]);
      expect(es[2].damaged).toBeUndefined();
    }
  });

  it("does not count or yield a partial last line until its newline arrives", async () => {
    const file = await sessionFile(line(1) + "\n" + line(2) + "\n" + line(3).slice(0, 40));
    const r = await open(file);
    expect(seqs(await r.tail(10))).toEqual([1, 2]);
    expect(seqs(await collect(streamEntries(file)))).toEqual([1, 2]);
    await r.buildIndex();
    expect(r.count).toBe(2);
    await fs.appendFile(file, line(3).slice(40) + "\n" + line(4));
    expect(await r.refresh()).toBe(1);
    expect(seqs(await collect(r.entries()))).toEqual([1, 2, 3]);
    expect(seqs(await r.tail(2))).toEqual([2, 3]);
  });

  it("reads a line of several megabytes whole, forwards, backwards and by index", async () => {
    const big = line(2, "y".repeat(6 * 1024 * 1024));
    const file = await sessionFile([line(1), big, line(3)].join("\n") + "\n");
    const r = await open(file);
    const back = await r.tail(3);
    expect(back[1].raw).toBe(big);
    const forward = await collect(streamEntries(file));
    expect(forward.map((e) => e.length)).toEqual([line(1).length, big.length, line(3).length]);
    expect(forward[1].raw).toBe(big);
    await r.buildIndex();
    expect(r.count).toBe(3);
    expect((await r.read(1)).raw).toBe(big);
    expect(await r.indexOfSeq(3)).toBe(2);
  });

  it("handles an empty file and rejects a missing one", async () => {
    const file = await sessionFile("");
    const r = await open(file);
    expect(await r.tail(10)).toEqual([]);
    expect(await collect(r.entries())).toEqual([]);
    expect(await r.indexOfSeq(1)).toBe(-1);
    expect(r.count).toBe(0);
    await expect(SessionReader.open(path.join(path.dirname(file), "missing.jsonl"))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(collect(streamEntries(path.join(path.dirname(file), "missing.jsonl")))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("streams a byte range and starts entries() at a given line", async () => {
    const lines = Array.from({ length: 100 }, (_, i) => line(i + 1));
    const file = await sessionFile(lines.join("\n") + "\n");
    const r = await open(file);
    await r.buildIndex();
    const from = (await r.read(40)).offset;
    const to = (await r.read(60)).offset;
    const range = await collect(streamEntries(file, { startOffset: from, endOffset: to, startIndex: 40 }));
    expect(seqs(range)).toEqual(Array.from({ length: 20 }, (_, i) => 41 + i));
    expect(range[0].index).toBe(40);
    expect(seqs(await collect(r.entries(98)))).toEqual([99, 100]);
    // an end offset inside a line leaves that line out: it is not complete within the range
    expect(seqs(await collect(streamEntries(file, { endOffset: to + 5 })))).toHaveLength(60);
  });

  it("rebuilds its index when the file shrank", async () => {
    const file = await sessionFile([line(1), line(2), "garbage"].join("\n") + "\n");
    const r = await open(file);
    await r.buildIndex();
    expect(r.count).toBe(3);
    await fs.truncate(file, Buffer.byteLength(line(1) + "\n" + line(2) + "\n"));
    expect(await r.refresh()).toBe(-1);
    expect(seqs(await collect(r.entries()))).toEqual([1, 2]);
  });
});

describe("SessionReader bounded tail", () => {
  it("tails the lines before an offset (a checkpoint's end), with indexes once indexed", async () => {
    const lines = Array.from({ length: 100 }, (_, i) => line(i + 1));
    const file = await sessionFile(lines.join("\n") + "\n");
    const r = await open(file);
    const cut = Buffer.byteLength(lines.slice(0, 60).join("\n") + "\n");
    expect(seqs(await r.tail(3, cut))).toEqual([58, 59, 60]);
    await r.buildIndex();
    expect((await r.tail(2, cut)).map((e) => e.index)).toEqual([58, 59]);
    expect(seqs(await collect(r.backwards(cut))).slice(-2)).toEqual([2, 1]);
  });
});

describe("SessionReader used from several places at once", () => {
  it("keeps one consistent index when buildIndex, refresh and lookups overlap", async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => line(i + 1));
    const file = await sessionFile(lines.join("\n") + "\n");
    const r = await open(file);
    const [, , at, fresh] = await Promise.all([r.buildIndex(), r.buildIndex(), r.indexOfSeq(4000), r.refresh(), r.tail(2)]);
    expect(r.count).toBe(5000);
    expect(at).toBe(3999);
    expect(fresh).toBeLessThanOrEqual(5000);
    expect(seqs(await r.readRange(4998, 5))).toEqual([4999, 5000]);
  });
});

describe("SessionReader and sealing", () => {
  it("keeps reading the same session after its file is renamed into sessions/", async () => {
    const file = await sessionFile([line(1), line(2)].join("\n") + "\n");
    const r = await open(file);
    await r.buildIndex();
    const sealed = path.join(path.dirname(file), "sealed.jsonl");
    await fs.rename(file, sealed);
    await fs.writeFile(file, line(1) + "\n"); // the next session at the old path
    await fs.appendFile(sealed, line(3) + "\n");
    expect(await r.refresh()).toBe(1);
    expect(seqs(await r.tail(5))).toEqual([1, 2, 3]);
  });
});
