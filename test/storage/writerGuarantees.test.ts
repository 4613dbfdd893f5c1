// The session writer's promises, watched through its file-opening seam on real files: no append resolves before its
// bytes are durable; records are dropped only while writes fail, with a gap saying why; a failed switch of session
// leaves the writer writing to the session it had; a close cut short by its deadline says what it did not write.
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { EventRecord, SessionRecord } from "../../src/record.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import type { OpenSessionFile } from "../../src/storage/nextSession.ts";
import { RecordDroppedError, SessionWriter } from "../../src/storage/sessionWriter.ts";
import { tmpDir } from "../helpers/tmp.ts";

const msg = (i: number) => ({ kind: "message" as const, topic: "chat", payload: { i, text: "hello" }, meta: {} });

/** What reached a file: writes (with the O_DSYNC the file was opened with) and fdatasyncs, in the order they completed. */
type FileOp = { op: "write"; end: number; dsync: boolean } | { op: "sync" };

interface Watched {
  open: OpenSessionFile;
  ops: FileOp[];
  /** Runs before each write; may throw (a failing disk) or wait (a slow one). */
  beforeWrite?: () => Promise<void>;
  /** Throws for files it names (a failing open). */
  failOpen?: (file: string) => boolean;
}

function watched(): Watched {
  const w: Watched = {
    ops: [],
    open: async (file, flags) => {
      if (w.failOpen?.(file)) throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: "EACCES" });
      const fh = await fs.open(file, flags, 0o600);
      const dsync = (flags & fs.constants.O_DSYNC) !== 0;
      return new Proxy(fh, {
        get(target, prop) {
          if (prop === "writev")
            return async (buffers: Buffer[], position: number) => {
              await w.beforeWrite?.();
              const r = await target.writev(buffers, position);
              w.ops.push({ op: "write", end: position + r.bytesWritten, dsync });
              return r;
            };
          if (prop === "datasync")
            return async () => {
              await target.datasync();
              w.ops.push({ op: "sync" });
            };
          const value = Reflect.get(target, prop);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    },
  };
  return w;
}

/** How far the file is durable given the operations so far: an O_DSYNC write is, another write once a sync followed. */
function durableEnd(ops: FileOp[]): number {
  let end = 0;
  ops.forEach((o, i) => {
    if (o.op === "write" && (o.dsync || ops.slice(i + 1).some((later) => later.op === "sync"))) end = Math.max(end, o.end);
  });
  return end;
}

async function fileLines(logsDir: string): Promise<{ rec: SessionRecord; end: number }[]> {
  const text = await fs.readFile(logsPaths(logsDir).current);
  const out: { rec: SessionRecord; end: number }[] = [];
  for (let pos = 0; pos < text.length; ) {
    const nl = text.indexOf(0x0a, pos);
    out.push({ rec: JSON.parse(text.toString("utf8", pos, nl)), end: nl + 1 });
    pos = nl + 1;
  }
  return out;
}

const gaps = (lines: { rec: SessionRecord }[]) => lines.map((l) => l.rec).filter((r): r is EventRecord => r.kind === "event" && r.event === "gap");

describe("the session writer's guarantees", () => {
  it.each([
    ["O_DSYNC writes", true],
    ["write + fdatasync", false],
  ])("resolves no append before its bytes are durable (%s)", async (_name, dsync) => {
    const dir = await tmpDir();
    const files = watched();
    const w = await SessionWriter.open(dir, { open: files.open, dsync });
    const resolvedWith: { seq: number; durable: number }[] = [];
    await Promise.all(
      Array.from({ length: 3000 }, (_, i) => w.append(msg(i)).then((r) => resolvedWith.push({ seq: r.seq, durable: durableEnd(files.ops) }))),
    );
    await w.close();
    const endOfSeq = new Map((await fileLines(dir)).map((l) => [l.rec.seq, l.end]));
    expect(resolvedWith).toHaveLength(3000);
    for (const r of resolvedWith) expect(endOfSeq.get(r.seq)!, `seq ${r.seq}`).toBeLessThanOrEqual(r.durable);
  });

  it("drops records only while writes fail, beyond the backlog's bound, with a gap event that says why", async () => {
    const dir = await tmpDir();
    const files = watched();
    const w = await SessionWriter.open(dir, { open: files.open, maxBacklogBytes: 4000 });
    await w.append(msg(0));
    files.beforeWrite = async () => {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    };
    const waiting = w.append(msg(1));
    while (!w.stats().lastError) await new Promise((r) => setTimeout(r, 5));
    expect(w.stats().dropped).toBe(0); // what came before writes failed is kept, waiting
    const appends = Array.from({ length: 200 }, (_, i) => w.append(msg(i + 2)));
    const dropped = (await Promise.allSettled(appends.map((p) => Promise.race([p, new Promise((r) => setTimeout(r, 50))])))).filter(
      (r) => r.status === "rejected",
    );
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every((r) => (r as PromiseRejectedResult).reason instanceof RecordDroppedError)).toBe(true);
    expect(w.stats()).toMatchObject({ dropped: dropped.length, lastError: expect.stringMatching(/ENOSPC/) });
    files.beforeWrite = undefined;
    await waiting; // the retry writes the backlog
    await w.append(msg(1000)); // then the gap, then this
    await w.close();
    const lines = await fileLines(dir);
    expect(gaps(lines)).toMatchObject([{ dropped: dropped.length, reason: expect.stringMatching(/writes failing \(ENOSPC.*backlog of 4000 bytes is full/) }]);
    expect(lines.map((l) => l.rec.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.at(-1)!.rec).toMatchObject({ payload: { i: 1000 } });
  });

  it("keeps writing to its session when a switch fails at the seal, at the new file, or in the history", async () => {
    const dir = await tmpDir();
    const files = watched();
    const w = await SessionWriter.open(dir, { open: files.open });
    const before = w.sessionId;
    await w.append(msg(0));

    await fs.rm(logsPaths(dir).sessions, { recursive: true });
    await fs.writeFile(logsPaths(dir).sessions, "not a folder"); // sealing cannot rename into it
    await expect(w.replaceSession([])).rejects.toThrow(/ENOTDIR|EEXIST|not a directory/i);
    await w.append(msg(1));
    await fs.rm(logsPaths(dir).sessions);
    await fs.mkdir(logsPaths(dir).sessions);

    files.failOpen = (file) => file.endsWith(".next");
    await expect(w.replaceSession([])).rejects.toThrow(/EACCES/);
    files.failOpen = undefined;
    await w.append(msg(2));

    async function* brokenHistory() {
      yield msg(100);
      throw new Error("the checkpoint's line at byte 512 is damaged");
    }
    let checkpointed = false;
    await expect(w.replaceSession(brokenHistory(), { beforeSeal: async () => void (checkpointed = true) })).rejects.toThrow(/damaged/);
    expect(checkpointed).toBe(false); // nothing is done to the active session before its successor is complete
    await w.append(msg(3));

    await expect(w.replaceSession([], { beforeSeal: async () => Promise.reject(new Error("checkpoint failed")) })).rejects.toThrow(/checkpoint failed/);
    await w.append(msg(4));
    await w.close();

    expect(w.sessionId).toBe(before);
    expect(w.stats().writeErrors).toBe(0);
    const lines = await fileLines(dir);
    expect(lines.flatMap((l) => (l.rec.kind === "message" ? [(l.rec.payload as { i: number }).i] : []))).toEqual([0, 1, 2, 3, 4]);
    expect(await fs.readdir(logsPaths(dir).sessions)).toEqual([]);
    expect((await fs.readdir(dir)).filter((f) => f.endsWith(".next"))).toEqual([]);
  });

  it("stops within its deadline while writes hang, and says what it did not write", async () => {
    const dir = await tmpDir();
    const files = watched();
    const w = await SessionWriter.open(dir, { open: files.open });
    await w.append(msg(0));
    files.beforeWrite = () => new Promise(() => {}); // a disk that never answers
    const pending = Array.from({ length: 50 }, (_, i) => w.append(msg(i + 1)));
    const t0 = performance.now();
    await w.close({ deadlineMs: 300 });
    expect(performance.now() - t0).toBeLessThan(1500);
    const results = await Promise.allSettled(pending);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(w.stats().unwritten).toMatchObject({ records: 50, reason: expect.stringMatching(/did not finish within the 300 ms/) });
    expect(Date.parse(w.stats().unwritten!.from_ts)).toBeLessThanOrEqual(Date.parse(w.stats().unwritten!.to_ts));
    expect(w.stats().dropped).toBe(50);
  });
});
