import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { MessageRecord, SessionRecord } from "../../src/record.ts";
import { createCheckpoint, listCheckpoints, sessionFileOf, verifyCheckpoint } from "../../src/storage/checkpoints.ts";
import { acquireLock, LockHeldError } from "../../src/storage/lock.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { loadCheckpoint, newSession, switchSession } from "../../src/storage/sessions.ts";
import { PAYLOAD_JSON } from "../../src/storage/recordJson.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { tmpDir } from "../helpers/tmp.ts";

const msg = (i: number) => ({ kind: "message" as const, topic: "chat", payload: { i }, meta: { agent: "a" } });

async function lines(file: string): Promise<SessionRecord[]> {
  return (await fs.readFile(file, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
}

async function recordedSession(n: number) {
  const dir = await tmpDir();
  const w = await SessionWriter.open(dir);
  await w.appendMany(Array.from({ length: n }, (_, i) => msg(i)));
  await w.append({ kind: "event", event: "broker_connected" });
  const cp = await createCheckpoint(dir, await w.snapshot(), "two");
  await w.append(msg(99));
  const id = w.sessionId;
  await w.close();
  return { dir, cp, id };
}

/** The text of each message's payload as it stands in a session file's lines. */
async function payloadTexts(file: string): Promise<string[]> {
  return (await fs.readFile(file, "utf8"))
    .split("\n")
    .filter((l) => l.includes('"kind":"message"'))
    .map((l) => l.slice(l.indexOf(',"payload":') + ',"payload":'.length, -1));
}

describe("load and new", () => {
  it("copies each payload's text byte for byte: big integers, 1e400, -0, duplicate keys, odd whitespace and escapes", async () => {
    const texts = [
      '{"n":12345678901234567890,"x":1e400}',
      '{"z":-0,"f":1.0,"e":1E+2}',
      '{"k":1,"k":2}',
      '{ "s" :\t"a\\u00e9\\/\\ud83d\\ude00" , "arr":[ 1 ,2 ] }',
      '"just a string"',
    ];
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir);
    await w.appendMany(texts.map((t) => ({ kind: "message" as const, topic: "t", payload: JSON.parse(t), meta: {}, [PAYLOAD_JSON]: Buffer.from(t) })));
    const cp = await createCheckpoint(dir, await w.snapshot(), "exact");
    const sealedId = w.sessionId;
    await w.close();
    expect(await payloadTexts(logsPaths(dir).current)).toEqual(texts);
    await loadCheckpoint(dir, cp.id);
    expect(await payloadTexts(logsPaths(dir).current)).toEqual(texts); // load
    await newSession(dir);
    expect(await payloadTexts(`${logsPaths(dir).sessions}/${sealedId}.jsonl`)).toEqual(texts); // new: the sealed files keep them
    const loadedId = (await listCheckpoints(dir)).find((c) => c.label === "before new")!.session;
    expect(await payloadTexts(`${logsPaths(dir).sessions}/${loadedId}.jsonl`)).toEqual(texts);
  });

  it("refuses to load a checkpoint with a damaged line before changing anything", async () => {
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir);
    await w.appendMany([msg(0), msg(1)]);
    await w.close();
    const file = logsPaths(dir).current;
    const text = await fs.readFile(file, "utf8");
    await fs.writeFile(file, text.replace('{"i":0}', '{"i":0]')); // a line damaged before the checkpoint was taken
    const again = await SessionWriter.open(dir);
    const cp = await createCheckpoint(dir, await again.snapshot(), "damaged");
    await again.close();
    const before = await fs.readFile(file);
    await expect(loadCheckpoint(dir, cp.id)).rejects.toThrow(/cannot be loaded: its line at byte \d+ is damaged/);
    expect(await fs.readFile(file)).toEqual(before);
    expect(await fs.readdir(logsPaths(dir).sessions)).toEqual([]);
    expect((await listCheckpoints(dir)).map((c) => c.label)).toEqual(["damaged"]);
  });

  it("load (no recorder running): checkpoints the active session, seals it, and copies the checkpoint's messages", async () => {
    const { dir, cp, id } = await recordedSession(2);
    const fresh = await loadCheckpoint(dir, cp.id);
    const sealed = await lines(`${logsPaths(dir).sessions}/${id}.jsonl`);
    expect(sealed).toHaveLength(5); // nothing lost, including what came after the checkpoint
    const now = await lines(logsPaths(dir).current);
    expect(now[0]).toMatchObject({ seq: 1, event: "session_started", session: fresh, loaded_from: cp.id });
    const copied = now.slice(1) as MessageRecord[];
    expect(copied.map((r) => [r.seq, r.payload, r.loaded_from])).toEqual([
      [2, { i: 0 }, { checkpoint: cp.id, seq: 2 }],
      [3, { i: 1 }, { checkpoint: cp.id, seq: 3 }],
    ]);
    expect(copied[0].meta).toEqual({ agent: "a" });
    expect(copied[0].ts).toBe((sealed[1] as MessageRecord).ts);
    const saved = (await listCheckpoints(dir)).find((c) => c.label === "before load");
    expect(saved).toMatchObject({ session: id, messages: 3 });
    expect(await verifyCheckpoint(dir, saved!.id)).toEqual({ ok: true });
    expect(await verifyCheckpoint(dir, cp.id)).toEqual({ ok: true });
  });

  it("new (no recorder running): seals and starts an empty session; nothing is deleted", async () => {
    const { dir, id } = await recordedSession(1);
    const fresh = await newSession(dir);
    expect(await lines(logsPaths(dir).current)).toEqual([expect.objectContaining({ seq: 1, session: fresh })]);
    expect(await lines(`${logsPaths(dir).sessions}/${id}.jsonl`)).toHaveLength(4);
    expect((await listCheckpoints(dir)).map((c) => c.label).sort()).toEqual(["before new", "two"]);
  });

  it("a session file naming itself with a path is sealed inside sessions/, under an id of the writer's own", async () => {
    const dir = await tmpDir();
    const planted = path.join(path.dirname(dir), `${path.basename(dir)}-planted`);
    await fs.mkdir(logsPaths(dir).sessions, { recursive: true, mode: 0o700 });
    const started = { v: 1, seq: 1, ts: "2026-11-24T01:00:00.000Z", kind: "event", event: "session_started", session: `../../${path.basename(planted)}` };
    await fs.writeFile(logsPaths(dir).current, `${JSON.stringify(started)}\n`, { mode: 0o600 });
    const w = await SessionWriter.open(dir);
    expect(w.sessionId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    await w.close();
    await newSession(dir);
    await expect(fs.access(`${planted}.jsonl`)).rejects.toThrow();
    expect(await fs.readdir(logsPaths(dir).sessions)).toEqual([expect.stringMatching(/^\d{8}T\d{6}Z-[0-9a-f]{4}\.jsonl$/)]);
  });

  it("refuses when a recorder holds the folder, naming it", async () => {
    const { dir, cp } = await recordedSession(1);
    const lock = await acquireLock(dir);
    await expect(loadCheckpoint(dir, cp.id)).rejects.toBeInstanceOf(LockHeldError);
    await lock.release();
  });

  it("inside a recorder, the same switch goes through its writer; an unknown or altered checkpoint changes nothing", async () => {
    const { dir, cp } = await recordedSession(2);
    const w = await SessionWriter.open(dir);
    const before = w.sessionId;
    await expect(switchSession(w, dir, { action: "load", checkpoint: "nope" })).rejects.toThrow(/no checkpoint/);
    expect(w.sessionId).toBe(before);
    const file = await sessionFileOf(dir, cp.session);
    const original = await fs.readFile(file);
    await fs.writeFile(file, Buffer.from(original.toString().replace('"i":0', '"i":9')));
    await expect(switchSession(w, dir, { action: "load", checkpoint: cp.id })).rejects.toThrow(/cannot be loaded: hash mismatch/);
    expect(w.sessionId).toBe(before);
    await fs.writeFile(file, original);
    const r = await switchSession(w, dir, { action: "load", checkpoint: cp.id });
    expect(r).toMatchObject({ sealed: before, session: w.sessionId });
    expect((await w.append(msg(7))).seq).toBe(4);
    await w.close();
  });
});
