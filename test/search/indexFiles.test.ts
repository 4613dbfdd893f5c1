// The search index holds message text: its files are owner-only whatever the umask, and it is never opened through
// a planted symbolic link.
import fs from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { indexOnce } from "../../src/search/indexer.ts";
import { indexPath, IndexWriter, openIndexForReading } from "../../src/search/indexStore.ts";
import { searchAll } from "../../src/search/search.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { writeSession, type Msg } from "./corpus.ts";

const START = Date.now() - 3_600_000;
const msgs: Msg[] = Array.from({ length: 20 }, (_, i) => ({ from: "ana", text: `secret plan ${i}`, at: i }));

async function modeOf(file: string): Promise<number> {
  return (await fs.stat(file)).mode & 0o777;
}

/** Runs `fn` with no umask, so that only the modes the code asks for count. */
async function withoutUmask<T>(fn: () => Promise<T>): Promise<T> {
  const old = process.umask(0);
  try {
    return await fn();
  } finally {
    process.umask(old);
  }
}

describe("the index files", () => {
  it("are created owner-only, the -wal and -shm SQLite adds included", async () => {
    const dir = await tmpDir();
    await writeSession(dir, msgs, START);
    await withoutUmask(async () => {
      await indexOnce(dir);
      const writer = IndexWriter.open(dir); // open: the -wal and -shm exist while a connection writes
      try {
        writer.addTerms(["plan"]);
        const file = indexPath(dir);
        for (const f of [file, `${file}-wal`, `${file}-shm`]) expect([f, await modeOf(f)]).toEqual([f, 0o600]);
        expect(await modeOf(path.dirname(file))).toBe(0o700);
      } finally {
        writer.close();
      }
    });
    expect((await searchAll(dir, "secret")).length).toBe(20);
  });

  it("left readable to others by an earlier version are made owner-only when next opened", async () => {
    const dir = await tmpDir();
    await writeSession(dir, msgs, START);
    await indexOnce(dir);
    const file = indexPath(dir);
    const other = new Database(file); // another connection keeps -wal and -shm in place
    try {
      other.pragma("journal_mode = WAL");
      other.prepare("SELECT count(*) FROM docs").get();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) await fs.chmod(f, 0o644);
      IndexWriter.open(dir).close();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect([f, await modeOf(f)]).toEqual([f, 0o600]);
    } finally {
      other.close();
    }
  });

  it("are never opened through a symbolic link planted as index.sqlite", async () => {
    const dir = await tmpDir();
    await writeSession(dir, msgs, START);
    const victim = path.join(await tmpDir(), "victim.sqlite");
    const theirs = new Database(victim); // a database of someone else's, which SQLite would happily open and alter
    theirs.exec("CREATE TABLE mine(x)");
    theirs.close();
    const before = await fs.readFile(victim);
    await fs.mkdir(path.dirname(indexPath(dir)), { recursive: true });
    await fs.symlink(victim, indexPath(dir));
    expect(openIndexForReading(dir)).toBeNull();
    await indexOnce(dir); // the link is taken for a broken index: removed (not followed) and the index rebuilt
    expect((await fs.readFile(victim)).equals(before)).toBe(true);
    expect((await fs.lstat(indexPath(dir))).isSymbolicLink()).toBe(false);
    expect((await searchAll(dir, "secret")).filter((h) => h.source === "index").length).toBe(20);
  });
});
