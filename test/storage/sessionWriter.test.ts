import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../../src/record.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { oneLineJson, PAYLOAD_JSON } from "../../src/storage/recordJson.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { tmpDir } from "../helpers/tmp.ts";

const msg = (i: number) => ({ kind: "message" as const, topic: "chat", payload: { i, text: "hello" }, meta: {} });

async function fileRecords(logsDir: string): Promise<SessionRecord[]> {
  const text = await fs.readFile(logsPaths(logsDir).current, "utf8");
  return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

describe("SessionWriter", () => {
  it("starts a session with session_started, owner-only, and numbers records 1, 2, 3…", async () => {
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir);
    expect(await w.appendMany([msg(0), msg(1)])).toEqual({ firstSeq: 2, lastSeq: 3 });
    expect(await w.appendMany([])).toBeNull();
    await w.close();
    const onDisk = await fileRecords(dir);
    expect(onDisk[0]).toMatchObject({ v: 1, seq: 1, kind: "event", event: "session_started", session: w.sessionId });
    expect(w.sessionId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    expect(onDisk.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(Object.keys(onDisk[1]).slice(0, 4)).toEqual(["v", "seq", "ts", "kind"]);
    expect((await fs.stat(logsPaths(dir).current)).mode & 0o777).toBe(0o600);
  });

  it("resolves a record only once it is on disk, and groups many records into one sync", async () => {
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir);
    const syncsBefore = w.stats().syncs;
    const all = await Promise.all(Array.from({ length: 2000 }, (_, i) => w.append(msg(i)).then(async (r) => r.seq)));
    const onDisk = await fileRecords(dir); // read before close: what resolved is already there
    expect(onDisk.length).toBe(2001);
    expect(all).toEqual(Array.from({ length: 2000 }, (_, i) => i + 2));
    expect(w.stats().syncs - syncsBefore).toBeLessThan(50);
    expect(w.stats().syncMs.p99).toBeGreaterThan(0);
    await w.close();
  });

  it("continues an existing session with the next seq, and its running hash equals the file's", async () => {
    const dir = await tmpDir();
    const first = await SessionWriter.open(dir);
    await first.appendMany([msg(0), msg(1), { kind: "event", event: "note" }]);
    await first.close();
    const second = await SessionWriter.open(dir);
    expect(second.sessionId).toBe(first.sessionId);
    expect((await second.append(msg(2))).seq).toBe(5);
    const snap = await second.snapshot();
    const bytes = await fs.readFile(logsPaths(dir).current);
    expect(snap).toMatchObject({ sessionId: first.sessionId, bytes: bytes.length, records: 5, messages: 3, lastSeq: 5 });
    expect(snap.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    await second.close();
  });

  it("counts the records already in an opened session in the background, and says so until it is done", async () => {
    const dir = await tmpDir();
    const first = await SessionWriter.open(dir);
    await first.appendMany(Array.from({ length: 5000 }, (_, i) => msg(i)));
    await first.close();
    const second = await SessionWriter.open(dir);
    const early = second.stats(); // the background count has not read the file yet: it needs I/O
    expect(early.counting).toBe(true);
    expect(early.records).toBeLessThan(5001);
    await second.snapshot();
    expect(second.stats()).toMatchObject({ counting: false, records: 5001, messages: 5000 });
    await second.close();
    expect(first.stats().counting).toBe(false); // a session the writer began itself is counted as it goes
  });

  it("replaces the session: seals the old one and starts over at seq 1 with the history first", async () => {
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir);
    await w.append(msg(0));
    const old = w.sessionId;
    const replacing = w.replaceSession([msg(100), msg(101)], { loadedFrom: "cp-1" });
    const during = w.append(msg(200)); // appended while replacing: goes after the history, in the new session
    const id = await replacing;
    await during;
    await w.close();
    expect(id).not.toBe(old);
    const sealed = await fs.readFile(`${logsPaths(dir).sessions}/${old}.jsonl`, "utf8");
    expect(sealed.trim().split("\n")).toHaveLength(2);
    const now = await fileRecords(dir);
    expect(now[0]).toMatchObject({ seq: 1, event: "session_started", session: id, loaded_from: "cp-1" });
    expect(now.slice(1).map((r) => [r.seq, (r as { payload: { i: number } }).payload.i])).toEqual([
      [2, 100],
      [3, 101],
      [4, 200],
    ]);
  });

  it("appends a recovered event after repairing a torn tail on open, never giving a cut line's seq again", async () => {
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir);
    await w.append(msg(0));
    await w.close();
    await fs.appendFile(logsPaths(dir).current, '{"v":1,"seq":3,"ts":');
    const again = await SessionWriter.open(dir);
    expect(again.recovery?.cut?.reason).toBe("partial last line");
    await again.append(msg(1));
    await again.close();
    const recs = await fileRecords(dir);
    expect(recs.map((r) => r.seq)).toEqual([1, 2, 4, 5]); // 3 was the torn line's, saved in the recovery log
    expect(recs[2]).toMatchObject({ kind: "event", event: "recovered" });
  });

  it("takes every record while writes succeed, one larger than the whole backlog too, and has the caller wait for room", async () => {
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir, { maxBacklogBytes: 1000 });
    const big = { kind: "message" as const, topic: "t", payload: { text: "x".repeat(5000) }, meta: {} };
    const results = await Promise.allSettled([big, ...Array.from({ length: 30 }, (_, i) => msg(i))].map((r) => w.append(r)));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    void w.append(big); // alone more than the backlog's bound: the caller waits until it is written
    const sizeWhenRoom = await w.whenRoom().then(() => statSync(logsPaths(dir).current).size);
    await w.close();
    expect(sizeWhenRoom).toBe(statSync(logsPaths(dir).current).size);
    expect(w.stats().dropped).toBe(0);
    expect((await fileRecords(dir)).filter((r) => r.kind === "message")).toHaveLength(32);
  });

  it("writes a payload's JSON text as received, on one line, big integers exact", async () => {
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir);
    const text = '{\r\n  "n": 12345678901234567890,\n  "s": "a\\nb", "é": "👋"\n}';
    const payload = JSON.parse(text);
    const rec = await w.append({ kind: "message", topic: "t", payload, meta: {}, [PAYLOAD_JSON]: oneLineJson(Buffer.from(text), text) });
    expect(rec).toMatchObject({ seq: 2, payload });
    await w.close();
    const lines = (await fs.readFile(logsPaths(dir).current, "utf8")).split("\n");
    expect(lines).toHaveLength(3); // session_started, the message, and the empty string after the last newline
    expect(lines[1]).toContain('"payload":{    "n": 12345678901234567890,   "s": "a\\nb", "é": "👋" }');
    expect(JSON.parse(lines[1])).toMatchObject({ v: 1, seq: 2, kind: "message", topic: "t", payload: { s: "a\nb" }, meta: {} });
  });

  it("rejects appends after close without throwing out of the process", async () => {
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir);
    await w.close();
    await expect(w.append(msg(0))).rejects.toThrow(/closed/);
  });
});
