import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Entry } from "../../src/storage/sessionReader.ts";
import { followSession, type FollowOptions } from "../../src/storage/follow.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";

function line(seq: number, text = `message ${seq}`): string {
  return JSON.stringify({ v: 1, seq, ts: "2026-11-24T01:02:03.000Z", kind: "message", topic: "t", payload: { text }, meta: {} });
}
const lines = (...seqs: number[]) => seqs.map((s) => line(s) + "\n").join("");

interface Follower {
  got: Array<Entry | "replaced">;
  seqs: () => Array<number | null | "replaced">;
  stop: () => Promise<void>;
}
const running: Follower[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

function follow(file: string, opts: FollowOptions = {}): Follower {
  const ac = new AbortController();
  const got: Follower["got"] = [];
  const done = (async () => {
    for await (const e of followSession(file, { ...opts, signal: ac.signal, onReplaced: () => got.push("replaced") })) {
      got.push(e);
    }
  })();
  const f: Follower = {
    got,
    seqs: () => got.map((e) => (e === "replaced" ? e : (e.record?.seq ?? null))),
    stop: async () => {
      ac.abort();
      await done;
    },
  };
  running.push(f);
  return f;
}

async function session(content = ""): Promise<{ dir: string; file: string }> {
  const dir = await tmpDir();
  const file = path.join(dir, "current_session.jsonl");
  await fs.writeFile(file, content);
  return { dir, file };
}

describe("followSession", () => {
  it("yields what is there, then lines as they are appended", async () => {
    const { file } = await session(lines(1, 2));
    const f = follow(file);
    await waitFor(() => f.got.length === 2, { what: "existing lines" });
    for (let s = 3; s <= 40; s++) await fs.appendFile(file, lines(s)); // quick appends, one notification may cover several
    await waitFor(() => f.got.length === 40, { what: "appended lines" });
    expect(f.seqs()).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(f.got.map((e) => (e as Entry).index)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it("starts at an offset", async () => {
    const { file } = await session(lines(1, 2, 3));
    const f = follow(file, { fromOffset: Buffer.byteLength(lines(1, 2)), fromIndex: 2 });
    await fs.appendFile(file, lines(4));
    await waitFor(() => f.got.length === 2);
    expect(f.seqs()).toEqual([3, 4]);
    expect((f.got[0] as Entry).index).toBe(2);
  });

  it("started inside a partial last line, yields that line whole once complete", async () => {
    const third = line(3);
    const { file } = await session(lines(1, 2) + third.slice(0, 25));
    const f = follow(file, { fromOffset: (await fs.stat(file)).size });
    await fs.appendFile(file, third.slice(25) + "\n");
    await waitFor(() => f.got.length === 1);
    expect((f.got[0] as Entry).raw).toBe(third);
    expect((f.got[0] as Entry).offset).toBe(Buffer.byteLength(lines(1, 2)));
  });

  it("holds back a partial last line until its newline arrives", async () => {
    const { file } = await session(lines(1));
    const f = follow(file);
    await waitFor(() => f.got.length === 1);
    const third = line(3);
    // One write: the read that yields line 2 sees the partial line 3 too.
    await fs.appendFile(file, lines(2) + third.slice(0, 30));
    await waitFor(() => f.got.length === 2, { what: "line 2" });
    await fs.appendFile(file, third.slice(30) + "\n" + lines(4));
    await waitFor(() => f.got.length >= 4, { what: "lines 3 and 4" });
    expect(f.seqs()).toEqual([1, 2, 3, 4]);
    expect((f.got[2] as Entry).raw).toBe(third);
  });

  it("shows a damaged line as a marker and goes on", async () => {
    const { file } = await session(lines(1));
    const f = follow(file);
    await fs.appendFile(file, "{broken\n" + lines(3));
    await waitFor(() => f.got.length === 3);
    expect(f.seqs()).toEqual([1, null, 3]);
    expect((f.got[1] as Entry).damaged).toBeTruthy();
  });

  it("continues with the new file when the session is sealed and a new one starts", async () => {
    const { dir, file } = await session(lines(1, 2));
    await fs.mkdir(path.join(dir, "sessions"));
    const f = follow(file);
    await waitFor(() => f.got.length === 2);
    // lines appended right before the rename are still delivered from the old file
    await fs.appendFile(file, lines(3));
    await fs.rename(file, path.join(dir, "sessions", "old.jsonl"));
    await fs.writeFile(file, lines(1));
    await waitFor(() => f.got.length === 5, { what: "replacement and its first line" });
    await fs.appendFile(file, lines(2));
    await waitFor(() => f.got.length === 6);
    expect(f.seqs()).toEqual([1, 2, 3, "replaced", 1, 2]);
    expect((f.got[4] as Entry).index).toBe(0);
    expect((f.got[4] as Entry).offset).toBe(0);
  });

  it("waits while the path is empty between sealing and the new session", async () => {
    const { dir, file } = await session(lines(1));
    const f = follow(file);
    await waitFor(() => f.got.length === 1);
    await fs.rename(file, path.join(dir, "sealed.jsonl"));
    await fs.writeFile(file, lines(1, 2));
    await waitFor(() => f.got.length === 4);
    expect(f.seqs()).toEqual([1, "replaced", 1, 2]);
  });

  it("continues with the new file when another is renamed over the path", async () => {
    const { dir, file } = await session(lines(1, 2));
    const f = follow(file);
    await waitFor(() => f.got.length === 2);
    const next = path.join(dir, "next.jsonl");
    await fs.writeFile(next, lines(1, 2, 3)); // longer than the old one: only its inode tells it is another file
    await fs.rename(next, file); // the followed file loses its name without moving: only its link count says so
    await waitFor(() => f.got.length === 6, { what: "replacement and its lines" });
    await fs.appendFile(file, lines(4));
    await waitFor(() => f.got.length === 7);
    expect(f.seqs()).toEqual([1, 2, "replaced", 1, 2, 3, 4]);
  });

  it("starts over when the file is cut shorter in place", async () => {
    const { file } = await session(lines(1, 2, 3));
    const f = follow(file);
    await waitFor(() => f.got.length === 3);
    await fs.truncate(file, Buffer.byteLength(lines(1)));
    await waitFor(() => f.got.length === 5);
    expect(f.seqs()).toEqual([1, 2, 3, "replaced", 1]);
  });

  it("waits for a file that does not exist yet", async () => {
    const dir = await tmpDir();
    const file = path.join(dir, "current_session.jsonl");
    const f = follow(file);
    await fs.writeFile(file, lines(1, 2));
    await waitFor(() => f.got.length === 2, { what: "lines of the new file" });
    expect(f.seqs()).toEqual([1, 2]);
  });

  it("ends cleanly on abort, also before anything arrived, and rejects a missing folder", async () => {
    const { file } = await session();
    const f = follow(file);
    await f.stop();
    expect(f.got).toEqual([]);
    const ac = new AbortController();
    ac.abort();
    for await (const _ of followSession(file, { signal: ac.signal })) throw new Error("nothing expected");
    const missing = followSession(path.join(path.dirname(file), "nope", "current_session.jsonl"));
    await expect(missing.next()).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("delivers a line of several megabytes whole", async () => {
    const { file } = await session(lines(1));
    const f = follow(file);
    const big = line(2, "z".repeat(5 * 1024 * 1024));
    await fs.appendFile(file, big + "\n");
    await waitFor(() => f.got.length === 2);
    expect((f.got[1] as Entry).raw).toBe(big);
  });
});
