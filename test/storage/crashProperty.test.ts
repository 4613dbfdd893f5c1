// Property: random appends, checkpoints and crashes (a torn last batch, a corrupted byte), each followed by a
// reopen that runs recovery. Checked after every reopen: every record reported durable survives in place; every line
// parses except lines the test corrupted; seqs go up by one, except at the first line after a repair, which skips
// every seq the cut lines held (a seq is never given twice); every checkpoint whose bytes were not corrupted
// verifies and reads back exactly the records it had, and one whose bytes were does not verify.
import fc from "fast-check";
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../../src/record.ts";
import { checkpointRecords, createCheckpoint, verifyCheckpoint } from "../../src/storage/checkpoints.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { streamEntries } from "../../src/storage/sessionReader.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { tmpDir } from "../helpers/tmp.ts";

type Step =
  | { op: "append"; n: number }
  | { op: "checkpoint" }
  | { op: "tornBatch"; n: number; keep: number; zeros: boolean }
  | { op: "corrupt"; at: number }
  | { op: "reopen" };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("append" as const), n: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 2, arbitrary: fc.constant({ op: "checkpoint" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("tornBatch" as const), n: fc.integer({ min: 1, max: 5 }), keep: fc.double({ min: 0, max: 1, noNaN: true }), zeros: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("corrupt" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.constant({ op: "reopen" as const }) },
);

/** What the test knows about each line of the session file: the id of its message, or null for an event. */
interface Line {
  id: string | null;
  seq: number;
  offset: number;
  corrupted: boolean;
}
interface Expected {
  id: string;
  bytes: number;
  ids: (string | null)[];
  tainted: boolean;
}

const idOf = (r: SessionRecord | null) => (r && r.kind === "message" ? ((r.payload as { id: string }).id ?? null) : null);

async function run(steps: Step[]): Promise<void> {
  const dir = await tmpDir();
  const file = logsPaths(dir).current;
  let writer = await SessionWriter.open(dir, { groupWindowMs: 1 });
  let model: Line[] = [];
  let counter = 0;
  const checkpoints: Expected[] = [];
  const corruptions = new Set<number>(); // byte offsets currently corrupted in the file

  async function resync(): Promise<void> {
    const entries = [];
    for await (const e of streamEntries(file)) entries.push(e);
    expect(entries.length).toBeGreaterThanOrEqual(model.length);
    entries.forEach((e, i) => {
      const known = model[i];
      if (known?.corrupted) return;
      expect(e.damaged, `line ${i + 1} is damaged: ${e.raw}`).toBeUndefined();
      const seq = e.record!.seq;
      if (known) return expect([idOf(e.record), seq]).toEqual([known.id, known.seq]);
      const before = model[i - 1]?.seq ?? 0;
      if (e.offset === repairedAt) expect(seq).toBeGreaterThan(before);
      else expect(seq).toBe(before + 1);
      model.push({ id: idOf(e.record), seq, offset: e.offset, corrupted: false });
    });
  }

  /** The highest seq of the lines a crash left at the end (whole or in part), which recovery may not give again. */
  let tornSeq = 0;
  /** Where the last repair cut the file: the line written there skips the seqs of the lines cut. */
  let repairedAt = -1;

  async function checkCheckpoints(): Promise<void> {
    for (const cp of checkpoints) {
      const v = await verifyCheckpoint(dir, cp.id);
      expect(v.ok, `${cp.id}: ${v.reason}`).toBe(!cp.tainted);
      if (!v.ok) continue;
      const ids = [];
      for await (const r of checkpointRecords(dir, cp.id)) ids.push(idOf(r));
      expect(ids).toEqual(cp.ids);
    }
  }

  async function reopen(): Promise<void> {
    writer = await SessionWriter.open(dir, { groupWindowMs: 1 });
    const cut = writer.recovery?.cut;
    if (cut) {
      // Only a corrupted last line or bytes never reported durable may be cut (they went to the recovery log).
      const gone = model.filter((l) => l.offset >= cut.offset);
      expect(gone.length).toBeLessThanOrEqual(1);
      expect(gone.every((l) => l.corrupted)).toBe(true);
      const cutSeq = Math.max(tornSeq, ...gone.map((l) => l.seq));
      model = model.filter((l) => l.offset < cut.offset);
      repairedAt = cut.offset;
      for (const c of [...corruptions]) if (c >= cut.offset) corruptions.delete(c);
      await resync();
      const recovered = model.find((l) => l.offset >= cut.offset)!;
      expect(recovered.seq).toBeGreaterThan(cutSeq);
    }
    tornSeq = 0;
    await resync();
    await checkCheckpoints();
  }

  await resync();
  for (const s of steps) {
    if (s.op === "append") {
      const recs = Array.from({ length: s.n }, () => ({ kind: "message" as const, topic: "t", payload: { id: `m${counter++}`, text: "é…" }, meta: {} }));
      const { firstSeq, lastSeq } = (await writer.appendMany(recs))!;
      await resync();
      expect(lastSeq - firstSeq + 1).toBe(recs.length);
      expect(recs.map((_, i) => model.find((l) => l.seq === firstSeq + i)?.id)).toEqual(recs.map((r) => r.payload.id));
    } else if (s.op === "checkpoint") {
      const snap = await writer.snapshot();
      const cp = await createCheckpoint(dir, snap, "p");
      const ids = model.slice(0, snap.records).map((l) => l.id);
      checkpoints.push({ id: cp.id, bytes: cp.bytes, ids, tainted: [...corruptions].some((c) => c < cp.bytes) });
    } else if (s.op === "tornBatch") {
      // The process dies in the middle of writing a batch it never synced: part of it (or zeros) reaches the disk.
      await writer.close();
      const seq0 = model.at(-1)!.seq;
      const lines = Array.from(
        { length: s.n },
        (_, k) => `{"v":1,"seq":${seq0 + k + 1},"ts":"2026-01-01T00:00:00.000Z","kind":"message","topic":"t","payload":{"id":"u${counter++}"},"meta":{}}\n`,
      );
      const kept = Math.floor(lines.join("").length * s.keep);
      const bytes = s.zeros ? Buffer.alloc(kept) : Buffer.from(lines.join("")).subarray(0, kept);
      // Each line of which a byte reached the disk held its seq.
      if (!s.zeros) for (let k = 0, start = 0; k < lines.length && start < kept; start += lines[k++].length) tornSeq = seq0 + k + 1;
      await fs.appendFile(file, bytes);
      await reopen();
    } else if (s.op === "corrupt") {
      await writer.close();
      const bytes = await fs.readFile(file);
      let at = Math.floor(s.at * (bytes.length - 1));
      // Never a newline (that would merge or split lines), never a byte already flipped (that would undo it).
      while (bytes[at] === 0x0a || (bytes[at] ^ 0x20) === 0x0a || corruptions.has(at)) at = (at + 1) % bytes.length;
      bytes[at] ^= 0x20;
      await fs.writeFile(file, bytes);
      corruptions.add(at);
      const line = [...model].reverse().find((l) => l.offset <= at)!;
      line.corrupted = true;
      for (const cp of checkpoints) if (at < cp.bytes) cp.tainted = true;
      await reopen();
    } else {
      await writer.close();
      await reopen();
    }
  }
  await writer.close();
  await resync();
  await checkCheckpoints();
}

describe("crash recovery (property)", () => {
  it("keeps every durable record, never gives a seq twice, and keeps untouched checkpoints valid", async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), run), { numRuns: 60 });
  });
});
