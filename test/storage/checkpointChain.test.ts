// A checkpoint taken with no recorder extends the newest earlier checkpoint of its session: it reads and hashes only
// the bytes since, and verifies link by link.
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { createCheckpoint, readCheckpoint, snapshotOfFile, verifyCheckpoint } from "../../src/storage/checkpoints.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { PrefixDigest } from "../../src/storage/prefixDigest.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { tmpDir } from "../helpers/tmp.ts";

const msg = (i: number) => ({ kind: "message" as const, topic: "chat", payload: { i, text: `message number ${i}` }, meta: {} });

/** A session of `n` messages with a checkpoint by the writer at the end, then `more` messages; the writer closed. */
async function sessionWithCheckpoint(n: number, more: number) {
  const dir = await tmpDir();
  const w = await SessionWriter.open(dir);
  await w.appendMany(Array.from({ length: n }, (_, i) => msg(i)));
  const base = await createCheckpoint(dir, await w.snapshot(), "base");
  await w.appendMany(Array.from({ length: more }, (_, i) => msg(n + i)));
  const full = await w.snapshot();
  await w.close();
  return { dir, base, full, file: logsPaths(dir).current };
}

async function flipByte(file: string, offset: number): Promise<void> {
  const fh = await fs.open(file, "r+");
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, offset);
  b[0] ^= 0x01; // flipping it again restores it
  await fh.write(b, 0, 1, offset);
  await fh.close();
}

describe("chained checkpoints (no recorder)", () => {
  it("extend the newest earlier checkpoint of the session, with the counts of the whole prefix", async () => {
    const { dir, base, full } = await sessionWithCheckpoint(5, 3);
    const snap = await snapshotOfFile(dir);
    expect(snap).toMatchObject({ bytes: full.bytes, records: full.records, messages: full.messages, lastSeq: full.lastSeq });
    expect(snap.chain).toMatchObject({ after: base.id, bytes: base.bytes });
    const cp = await createCheckpoint(dir, snap, "offline");
    const onDisk = JSON.parse(await fs.readFile(cp.file, "utf8"));
    expect(onDisk).toMatchObject({ v: 2, chain: { after: base.id, bytes: base.bytes, sha256_segment: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(onDisk.sha256).toBeUndefined();
    expect(await verifyCheckpoint(dir, cp.id)).toEqual({ ok: true });
    expect(await readCheckpoint(dir, cp.id)).toMatchObject({ messages: 8, records: full.records });
  });

  it("chain on chained ones, and verify every link: damage in any link's bytes is found", async () => {
    const { dir, base, file } = await sessionWithCheckpoint(4, 2);
    const first = await createCheckpoint(dir, await snapshotOfFile(dir), "first");
    const w = await SessionWriter.open(dir);
    await w.appendMany([msg(100), msg(101)]);
    await w.close();
    const second = await createCheckpoint(dir, await snapshotOfFile(dir), "second");
    expect(second.chain?.after).toBe(first.id);
    expect(await verifyCheckpoint(dir, second.id)).toEqual({ ok: true });

    await flipByte(file, second.bytes - 10); // in the second's own segment
    expect((await verifyCheckpoint(dir, second.id)).reason).toMatch(new RegExp(`hash mismatch: bytes ${first.bytes} to ${second.bytes}`));
    expect(await verifyCheckpoint(dir, first.id)).toEqual({ ok: true });
    await flipByte(file, second.bytes - 10);

    await flipByte(file, base.bytes - 10); // in the base's range: every checkpoint extending it fails
    for (const id of [base.id, first.id, second.id]) {
      expect((await verifyCheckpoint(dir, id)).reason).toMatch(new RegExp(`hash mismatch: the session's first ${base.bytes} bytes`));
    }
  });

  it("read only the bytes since the base: earlier damage goes unread when taking one, and verify reports it", async () => {
    const { dir, base, file } = await sessionWithCheckpoint(50, 5);
    await flipByte(file, Math.floor(base.bytes / 2)); // before the base's end: hashing from the start would take it in
    const cp = await createCheckpoint(dir, await snapshotOfFile(dir), "after-damage");
    expect(cp.chain?.after).toBe(base.id);
    expect(await verifyCheckpoint(dir, cp.id)).toMatchObject({ ok: false, reason: expect.stringMatching(/first \d+ bytes changed/) });
  });

  it("are what a writer takes on a session it opened: its hash goes on from the newest checkpoint, not from byte 0", async () => {
    const { dir, base, full, file } = await sessionWithCheckpoint(40, 5);
    await flipByte(file, Math.floor(base.bytes / 2)); // read by a writer hashing the whole file on open
    const w = await SessionWriter.open(dir);
    await w.appendMany([msg(200), msg(201)]);
    const snap = await w.snapshot();
    expect(w.stats()).toMatchObject({ messages: snap.messages, records: snap.records, counting: false });
    await w.close();
    const whole = new PrefixDigest(); // the counts of a full read of what the snapshot covers
    await whole.readFrom(file, snap.bytes);
    expect(snap).toMatchObject({ messages: full.messages + 2, records: whole.counts.lines, chain: { after: base.id, bytes: base.bytes } });
    expect(whole.counts.messages).toBe(full.messages + 2);
    const cp = await createCheckpoint(dir, snap, "writer");
    expect(await verifyCheckpoint(dir, cp.id)).toMatchObject({ ok: false, reason: expect.stringMatching(/first \d+ bytes changed/) });
    await flipByte(file, Math.floor(base.bytes / 2));
    expect(await verifyCheckpoint(dir, cp.id)).toEqual({ ok: true });
  });

  it("hash from the start when the session has no checkpoint it still contains", async () => {
    const { dir, base, file } = await sessionWithCheckpoint(3, 0);
    await fs.truncate(file, base.bytes - 1); // the base no longer fits in the file
    const snap = await snapshotOfFile(dir);
    expect(snap.chain).toBeUndefined();
    expect(snap.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("do not trust a checkpoint file's chain: a missing base, a loop or another offset fail verification", async () => {
    const { dir, base } = await sessionWithCheckpoint(3, 2);
    const cp = await createCheckpoint(dir, await snapshotOfFile(dir), "offline");
    const rewrite = async (file: string, change: (body: Record<string, unknown>) => void) => {
      const body = JSON.parse(await fs.readFile(file, "utf8"));
      change(body);
      await fs.writeFile(file, JSON.stringify(body));
    };
    await rewrite(cp.file, (b) => ((b.chain as { after: string }).after = "no-such-checkpoint"));
    expect((await verifyCheckpoint(dir, cp.id)).reason).toMatch(/extends no-such-checkpoint, which is missing/);
    await rewrite(cp.file, (b) => ((b.chain as { after: string }).after = cp.id));
    expect((await verifyCheckpoint(dir, cp.id)).reason).toMatch(/loops/);
    await rewrite(cp.file, (b) => Object.assign(b.chain as object, { after: base.id, bytes: base.bytes - 1 }));
    expect((await verifyCheckpoint(dir, cp.id)).reason).toMatch(/does not extend/);
  });
});
