// Which session files readers of every session (search --all, report --all, the index, the archive push) cover: the
// active one first, then the sealed ones, each session once, even while the recorder seals the active one.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { searchAll } from "../../src/search/search.ts";
import { listSessionFiles } from "../../src/search/sessionFiles.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { writeSession, type Msg } from "./corpus.ts";

const START = Date.now() - 3_600_000;
const msgs = (word: string): Msg[] => Array.from({ length: 5 }, (_, i) => ({ from: "ana", text: `${word} plan ${i}`, at: i }));

async function sealAs(logsDir: string, session: string): Promise<string> {
  const p = logsPaths(logsDir);
  await fs.mkdir(p.sessions, { recursive: true });
  const sealed = path.join(p.sessions, `${session}.jsonl`);
  await fs.rename(p.current, sealed);
  return sealed;
}

describe("the session files of a logs folder", () => {
  it("are the active session, then the sealed ones", async () => {
    const dir = await tmpDir();
    await writeSession(dir, msgs("old"), START, "20261124T000000Z-old1");
    const sealed = await sealAs(dir, "20261124T000000Z-old1");
    await writeSession(dir, msgs("new"), START, "20261124T010000Z-new1");
    const files = await listSessionFiles(dir);
    expect(files.map((f) => [f.path, f.session])).toEqual([
      [logsPaths(dir).current, "20261124T010000Z-new1"],
      [sealed, "20261124T000000Z-old1"],
    ]);
  });

  it("hold a session being sealed once, as sealed: its file seen under both names (the same inode) is not read twice", async () => {
    const dir = await tmpDir();
    await writeSession(dir, msgs("secret"), START, "20261124T000000Z-seal");
    const p = logsPaths(dir);
    await fs.mkdir(p.sessions, { recursive: true });
    const sealed = path.join(p.sessions, "20261124T000000Z-seal.jsonl");
    // What a reader sees when the seal's rename falls between its look at the active file and its listing of sessions/.
    await fs.link(p.current, sealed);
    expect((await listSessionFiles(dir)).map((f) => f.path)).toEqual([sealed]);
    expect((await searchAll(dir, "secret", { scope: "all" })).length).toBe(5);
  });
});
