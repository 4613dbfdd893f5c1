// Compressed sealed sessions read as the plain ones did, everywhere: readers, checkpoints, search, the CLI.
import Database from "better-sqlite3";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compactLogs } from "../../src/compact/compact.ts";
import { indexOnce } from "../../src/search/indexer.ts";
import { searchAll } from "../../src/search/search.ts";
import { checkpointEntries, listCheckpoints, sessionFileOf, verifyCheckpoint } from "../../src/storage/checkpoints.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { DamagedCompressedFileError } from "../../src/storage/compressedSession.ts";
import { SessionReader, streamEntries, type Entry } from "../../src/storage/sessionReader.ts";
import { compressedFileOf, openCompressedSession } from "../../src/storage/sessionSource.ts";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { sendControl } from "../../src/control/client.ts";
import { readRecorderState } from "../../src/control/recorderStatus.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { fixture } from "../transcripts/support.ts";
import { sealedFolder } from "./sealedSession.ts";

const shape = (e: Entry) => ({ index: e.index, offset: e.offset, length: e.length, raw: e.raw, damaged: e.damaged });

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** What every reader sees of a session file. */
async function readersSee(file: string) {
  const reader = await SessionReader.open(file);
  try {
    const tail = (await reader.tail(5)).map(shape);
    const backwards: Entry[] = [];
    for await (const e of reader.backwards()) if (backwards.push(e) >= 40) break;
    await reader.buildIndex();
    const picked = await Promise.all([0, 1, 777, 1500, 1501, reader.count - 1].map((i) => reader.read(i)));
    const seq = await reader.indexOfSeq(1600);
    const stream = await all(streamEntries(file));
    const range = await all(streamEntries(file, { startOffset: stream[1000].offset, endOffset: stream[2000].offset, startIndex: 1000 }));
    return { tail, backwards: backwards.map(shape), count: reader.count, picked: picked.map(shape), seq, stream: stream.map(shape), range: range.map(shape) };
  } finally {
    await reader.close();
  }
}

describe("compact", () => {
  it("replaces a sealed session by its compressed file, owner-only, and every reader sees the same lines", async () => {
    const f = await sealedFolder(await tmpDir());
    const copy = path.join(f.dir, "plain-copy.jsonl");
    await fs.writeFile(copy, f.bytes, { mode: 0o600 });
    const before = await readersSee(copy);
    const result = await compactLogs(f.dir);
    const compressed = compressedFileOf(f.plain);
    expect(result.compacted).toEqual([expect.objectContaining({ file: compressed, size: f.bytes.length })]);
    await expect(fs.access(f.plain)).rejects.toThrow();
    expect((await fs.stat(compressed)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(compressed)).size).toBeLessThan(f.bytes.length / 5);
    expect(await sessionFileOf(f.dir, f.sessionId)).toBe(compressed);
    expect(await readersSee(compressed)).toEqual(before);
    const bytes = Buffer.concat((await all(streamEntries(compressed))).map((e) => Buffer.from(`${e.raw}\n`)));
    expect(bytes.equals(f.bytes)).toBe(true);
  });

  it("keeps checkpoints into it verifying against the hash of the plain bytes, and their lines unchanged", async () => {
    const f = await sealedFolder(await tmpDir());
    const cps = await listCheckpoints(f.dir);
    const linesBefore = await Promise.all(cps.map(async (c) => (await all(checkpointEntries(f.dir, c.id))).map(shape)));
    await compactLogs(f.dir);
    expect(cps.map((c) => c.chain !== undefined)).toContain(true);
    for (const [i, c] of cps.entries()) {
      expect(await verifyCheckpoint(f.dir, c.id)).toEqual({ ok: true });
      expect((await all(checkpointEntries(f.dir, c.id))).map(shape)).toEqual(linesBefore[i]);
    }
  });

  it("search finds the same messages in it, through the index (not indexed again) and through the scan", async () => {
    const f = await sealedFolder(await tmpDir());
    const scanBefore = await searchAll(f.dir, "controls", { scope: "all", limit: 5000 });
    expect(scanBefore.length).toBe(60);
    await indexOnce(f.dir);
    const indexedBefore = await searchAll(f.dir, "deploying database", { scope: "all", limit: 5000 });
    const indexedFile = () => {
      const db = new Database(path.join(logsPaths(f.dir).index, "index.sqlite"), { readonly: true });
      try {
        return db.prepare("SELECT id, path FROM files WHERE session = ?").get(f.sessionId);
      } finally {
        db.close();
      }
    };
    const { id } = indexedFile() as { id: number };
    await compactLogs(f.dir);
    await indexOnce(f.dir);
    expect(indexedFile()).toEqual({ id, path: compressedFileOf(f.plain) }); // moved, not indexed again from scratch
    const indexedAfter = await searchAll(f.dir, "deploying database", { scope: "all", limit: 5000 });
    expect(indexedAfter.every((h) => h.source === "index")).toBe(true);
    expect(indexedAfter).toEqual(indexedBefore);
    await fs.rm(logsPaths(f.dir).index, { recursive: true });
    expect(await searchAll(f.dir, "controls", { scope: "all", limit: 5000 })).toEqual(scanBefore);
  });

  it("never compresses the active session, and a second run has nothing to do", async () => {
    const f = await sealedFolder(await tmpDir());
    const current = await fs.readFile(logsPaths(f.dir).current);
    const result = await compactLogs(f.dir);
    expect(result.compacted).toHaveLength(1);
    expect((await fs.readFile(logsPaths(f.dir).current)).equals(current)).toBe(true);
    expect(await fs.readdir(f.dir)).not.toContain("current_session.jsonl.swc");
    expect((await compactLogs(f.dir)).compacted).toEqual([]);
  });

  it("a damaged compressed file is a clear error for readers and a failed verification, never wrong lines", async () => {
    const f = await sealedFolder(await tmpDir());
    await compactLogs(f.dir);
    const compressed = compressedFileOf(f.plain);
    const fh = await fs.open(compressed, "r+");
    await fh.write(Buffer.from("garbage!"), 0, 8, 200); // inside the first block
    await fh.close();
    await expect(all(streamEntries(compressed))).rejects.toThrow(DamagedCompressedFileError);
    const check = await verifyCheckpoint(f.dir, f.checkpoints[0].id);
    expect(check.ok).toBe(false);
    expect(check.reason).toMatch(/block 0/);
    const { index } = await openCompressedSession(compressed).then(async (c) => (await c.close(), c));
    const lines = await fs.open(compressed, "r+");
    await lines.write(Buffer.from("garbage!"), 0, 8, index.lines![0] + 2); // the record of line ends
    await lines.close();
    const reader = await SessionReader.open(compressed);
    await expect(reader.buildIndex()).rejects.toThrow(/line ends is damaged/);
    await reader.close();
    await fs.truncate(compressed, 100);
    await expect(SessionReader.open(compressed)).rejects.toThrow(/not a readable compressed session/);
  });

  it("runs from the command line: --json says what it did, view and search read the compressed session", async () => {
    const f = await sealedFolder(await tmpDir());
    const run = shearwaterSync("compact", "--logs", f.dir, "--json");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).compacted).toHaveLength(1);
    const view = shearwaterSync("view", "--logs", f.dir, "--checkpoint", f.checkpoints[0].id, "--tail", "2", "--json");
    expect(view.status).toBe(0);
    expect(view.stdout.trim().split("\n")).toHaveLength(2);
    const found = shearwaterSync("search", "--logs", f.dir, "--all", "controls", "--json");
    expect(found.status).toBe(0);
    expect(found.stdout).toContain(f.sessionId);
    expect(shearwaterSync("compact", "--logs", f.dir).stdout).toBe("nothing to compress\n");
  });
});

describe("a reader that listed a session before compaction replaced it", () => {
  it("opens the name it listed and reads the same bytes, from the form the session has now", async () => {
    const f = await sealedFolder(await tmpDir());
    const before = (await all(streamEntries(f.plain))).map(shape);
    await compactLogs(f.dir);
    await expect(fs.access(f.plain)).rejects.toThrow(); // what a push or a search listed a moment ago is gone
    expect((await all(streamEntries(f.plain))).map(shape)).toEqual(before);
    await expect(SessionReader.open(path.join(path.dirname(f.plain), "20990101T000000Z-none.jsonl"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("compaction after a seal", () => {
  it("follows an import that added sessions, unless SHEARWATER_AUTO_COMPACT=off", async () => {
    for (const setting of ["on", "off"]) {
      const logs = path.join(await tmpDir(), "logs");
      const run = spawnSync(process.execPath, [BIN_PATH, "import", "--logs", logs, "--json", fixture("codex")], { encoding: "utf8", env: { ...process.env, SHEARWATER_AUTO_COMPACT: setting } });
      expect(run.status).toBe(0);
      const [{ session }] = JSON.parse(run.stdout) as { session: string }[];
      if (setting === "on") await waitFor(async () => (await fs.readdir(logsPaths(logs).sessions)).join() === `${session}.jsonl.swc`, { timeoutMs: 15_000 });
      else {
        await new Promise((r) => setTimeout(r, 2_000)); // a compaction would have been started and done by now
        expect(await fs.readdir(logsPaths(logs).sessions)).toEqual([`${session}.jsonl`]);
      }
      const again = spawnSync(process.execPath, [BIN_PATH, "import", "--logs", logs, "--json", fixture("codex")], { encoding: "utf8", env: { ...process.env, SHEARWATER_AUTO_COMPACT: setting } });
      expect(JSON.parse(again.stdout)).toEqual([expect.objectContaining({ status: "unchanged", session })]);
    }
  });

  it("follows a new session made through the running recorder, unless SHEARWATER_AUTO_COMPACT=off", async () => {
    for (const setting of ["on", "off"]) {
      const logs = await tmpDir();
      const recorder = spawn(process.execPath, [BIN_PATH, "record", "--logs", logs, "--broker", await freeEndpoint()], {
        stdio: "ignore",
        env: { ...process.env, SHEARWATER_AUTO_COMPACT: setting },
      });
      try {
        await waitFor(async () => (await readRecorderState(logs)).alive, { timeoutMs: 15_000 });
        const { sealed } = (await sendControl(logs, "new")) as { sealed: string };
        const compressed = `${sealed}.jsonl.swc`;
        if (setting === "on") await waitFor(async () => (await fs.readdir(logsPaths(logs).sessions)).join() === compressed, { timeoutMs: 15_000 });
        else {
          await new Promise((r) => setTimeout(r, 2_000)); // a compaction would have been started and done by now
          expect(await fs.readdir(logsPaths(logs).sessions)).toEqual([`${sealed}.jsonl`]);
        }
      } finally {
        recorder.kill("SIGKILL");
      }
    }
  });
});
