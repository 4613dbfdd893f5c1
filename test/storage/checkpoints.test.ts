import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkpointEntries,
  checkpointRecords,
  createCheckpoint,
  listCheckpoints,
  sessionFileOf,
  slug,
  snapshotOfFile,
  verifyCheckpoint,
} from "../../src/storage/checkpoints.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";

const msg = (i: number) => ({ kind: "message" as const, topic: "chat", payload: { i }, meta: {} });

async function sessionWith(n: number) {
  const dir = await tmpDir();
  const w = await SessionWriter.open(dir);
  await w.appendMany(Array.from({ length: n }, (_, i) => msg(i)));
  return { dir, w };
}

describe("checkpoints", () => {
  it("names a prefix of the session: its size, counts and hash, in an immutable owner-only file", async () => {
    const { dir, w } = await sessionWith(3);
    const cp = await createCheckpoint(dir, await w.snapshot(), "Before the Refactor: v2!");
    await w.appendMany([msg(3), msg(4)]);
    await w.close();
    expect(path.basename(cp.file)).toMatch(/^\d{8}T\d{9}Z_before-the-refactor-v2\.json$/);
    expect(cp).toMatchObject({ label: "Before the Refactor: v2!", session: w.sessionId, messages: 3, records: 4, last_seq: 4 });
    const onDisk = JSON.parse(await fs.readFile(cp.file, "utf8"));
    expect(onDisk).toMatchObject({ v: 1, id: cp.id, bytes: cp.bytes, sha256: cp.sha256, created_at: cp.created_at });
    expect((await fs.stat(cp.file)).mode & 0o777).toBe(0o600);
    expect(await verifyCheckpoint(dir, cp.id)).toEqual({ ok: true });
    const recs = [];
    for await (const r of checkpointRecords(dir, cp.id)) recs.push(r);
    expect(recs.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
  });

  it("lists newest first, and two checkpoints in the same millisecond get distinct ids", async () => {
    const { dir, w } = await sessionWith(1);
    const snap = await w.snapshot();
    const a = await createCheckpoint(dir, snap, "same");
    const b = await createCheckpoint(dir, snap, "same");
    await w.append(msg(1));
    await waitFor(() => Date.now() > Date.parse(b.created_at), { intervalMs: 1 });
    const c = await createCheckpoint(dir, await w.snapshot());
    await w.close();
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(c.id).toMatch(/_checkpoint$/);
    const list = await listCheckpoints(dir);
    // Same created_at: the later id (with its -2 suffix) first.
    expect(list.map((x) => x.id)).toEqual([c.id, b.id, a.id]);
  });

  it("fails verification when the prefix changed or no longer ends a line, and says why", async () => {
    const { dir, w } = await sessionWith(2);
    const cp = await createCheckpoint(dir, await w.snapshot(), "x");
    await w.close();
    const file = logsPaths(dir).current;
    const bytes = await fs.readFile(file);
    bytes[bytes.indexOf("chat")] = "C".charCodeAt(0);
    await fs.writeFile(file, bytes);
    expect(await verifyCheckpoint(dir, cp.id)).toMatchObject({ ok: false, reason: expect.stringMatching(/hash mismatch/) });
    await fs.truncate(file, cp.bytes - 1);
    expect((await verifyCheckpoint(dir, cp.id)).reason).toMatch(/covers/);
    expect((await verifyCheckpoint(dir, "no-such")).ok).toBe(false);
  });

  it("keeps working after its session is sealed, and shows damaged lines instead of skipping them", async () => {
    const { dir, w } = await sessionWith(2);
    const cp = await createCheckpoint(dir, await w.snapshot(), "x");
    const old = w.sessionId;
    await w.replaceSession([]);
    await w.close();
    expect(await sessionFileOf(dir, old)).toBe(path.join(logsPaths(dir).sessions, `${old}.jsonl`));
    expect(await sessionFileOf(dir, w.sessionId)).toBe(logsPaths(dir).current);
    expect(await verifyCheckpoint(dir, cp.id)).toEqual({ ok: true });

    const sealed = await sessionFileOf(dir, old);
    const bytes = await fs.readFile(sealed);
    bytes[bytes.indexOf('"payload"')] = "#".charCodeAt(0);
    await fs.writeFile(sealed, bytes);
    const entries = [];
    for await (const e of checkpointEntries(dir, cp.id)) entries.push(e);
    expect(entries.map((e) => e.damaged !== undefined)).toEqual([false, true, false]);
    await expect(async () => {
      for await (const _ of checkpointRecords(dir, cp.id));
    }).rejects.toThrow(/line 2 .* damaged/);
  });

  it("can be taken with no writer: a snapshot read from the file, torn last line left out", async () => {
    const { dir, w } = await sessionWith(3);
    const fromWriter = await w.snapshot();
    await w.close();
    await fs.appendFile(logsPaths(dir).current, '{"v":1,"seq":5,"ts"');
    expect(await snapshotOfFile(dir)).toEqual(fromWriter);
    const cp = await createCheckpoint(dir, await snapshotOfFile(dir), "offline");
    expect(await verifyCheckpoint(dir, cp.id)).toEqual({ ok: true });
  });

  it("slugs labels into file-name-safe words", () => {
    expect(slug("Hello, World!")).toBe("hello-world");
    expect(slug("../../etc/passwd")).toBe("etc-passwd");
    expect(slug("日本語")).toBe("checkpoint");
    expect(slug("a".repeat(100))).toHaveLength(40);
  });
});
