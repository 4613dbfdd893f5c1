// The archive's reading API for both backends from one table (SQLite always, a private PostgreSQL server where
// installed): sessions per source, pages of lines counted from the end (what the TUI's viewer reads), counts, and
// a selection streamed in pages in the order stored.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { readLines } from "../../src/archive/archiveReading.ts";
import type { ArchiveStore } from "../../src/archive/archiveStore.ts";
import { openArchive } from "../../src/archive/openArchive.ts";
import { push } from "../../src/archive/pushLoop.ts";
import { POSTGRES_MISSING_REASON } from "../helpers/postgresCluster.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { archiveBackends, makeLogs, manyMessages, sessionLines } from "./archiveFixtures.ts";

vi.setConfig({ testTimeout: 120_000 });
const backends = archiveBackends();

/** Two folders pushed: A with a sealed session of 12 messages and an active one of 5, B with one of 7,000. */
async function twoSources(url: string): Promise<{ a: string; b: string; store: ArchiveStore }> {
  const [a, b] = [await tmpDir(), await tmpDir()];
  await makeLogs(a, { id: "20261124T110000Z-a2", msgs: manyMessages(5, "alice") }, [{ id: "20261124T100000Z-a1", msgs: manyMessages(12, "alice") }]);
  await makeLogs(b, { id: "20261124T100000Z-b1", msgs: manyMessages(7_000, "bob") });
  for (const logs of [a, b]) await push({ logsDir: logs, url });
  return { a, b, store: await openArchive(url, "read") };
}

describe.each(backends)("archive reading on $name", (backend, available) => {
  describe.skipIf(!available)(available ? "" : `(skipped: ${POSTGRES_MISSING_REASON})`, () => {
    it("lists every source's sessions with their counts, by folder, the one with the newest record first", async () => {
      const url = await backend.newArchive();
      const { a, b, store } = await twoSources(url);
      try {
        const sessions = await store.sessions();
        const byFolder = (f: string) => sessions.filter((s) => s.folder === f).map((s) => [s.session, s.records, s.lastSeq]);
        // Both start at the same minute; a1's twelve messages end after a2's five.
        expect(byFolder(a)).toEqual([["20261124T100000Z-a1", 13, 13], ["20261124T110000Z-a2", 6, 6]]);
        expect(byFolder(b)).toEqual([["20261124T100000Z-b1", 7_001, 7_001]]);
        const bytes = (await fs.stat(path.join(b, "current_session.jsonl"))).size;
        expect(sessions.find((s) => s.folder === b)).toMatchObject({ bytes, lastTs: expect.stringMatching(/^2026-11-24T/) });
      } finally {
        await store.close();
      }
    });

    it("pages a session from its end and counts up to a seq, as the viewer reads it", async () => {
      const url = await backend.newArchive();
      const { store } = await twoSources(url);
      try {
        const all = sessionLines("20261124T100000Z-b1", manyMessages(7_000, "bob"));
        const [b1] = (await store.sessions()).filter((s) => s.session === "20261124T100000Z-b1");
        const page = await store.lines({ session: b1.session, sources: [b1.source], upToSeq: 7_001, tail: 50, skip: 100 });
        expect(page.map((l) => l.line)).toEqual(all.slice(7_001 - 150, 7_001 - 100));
        expect(page.map((l) => l.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 6_852 + i));
        const first = await store.lines({ session: b1.session, sources: [b1.source], upToSeq: 7_001, tail: 3, skip: 7_001 - 3 });
        expect(first.map((l) => l.seq)).toEqual([1, 2, 3]);
        expect(await store.count({ session: b1.session, sources: [b1.source], upToSeq: 4_999 })).toBe(4_999);
      } finally {
        await store.close();
      }
    });

    it("pages every source in the order stored up to an id, and counts a stretch of ids", async () => {
      const url = await backend.newArchive();
      const { a, store } = await twoSources(url);
      try {
        const newest = (await store.lines({ afterId: 0, tail: 1 }))[0];
        const total = await store.count({ upToId: newest.id });
        expect(total).toBe(6 + 13 + 7_001);
        const page = await store.lines({ upToId: newest.id, tail: 10, skip: 7_001 });
        // B was pushed last: passing over its lines, the page is A's last ten, oldest first.
        const aSource = (await store.sessions()).find((x) => x.folder === a)!.source;
        expect(page.map((l) => l.source)).toEqual(Array(10).fill(aSource));
        expect(page.map((l) => l.id)).toEqual([...page.map((l) => l.id)].sort((x, y) => x - y));
        expect(await store.count({ afterId: page[0].id - 1, upToId: page.at(-1)!.id })).toBe(10);
        expect(await store.count({ afterId: page.at(-1)!.id })).toBe(7_001);
      } finally {
        await store.close();
      }
    });

    it("streams a selection in pages, in the order stored, every line once", async () => {
      const url = await backend.newArchive();
      const { b, store } = await twoSources(url);
      try {
        const seqs: number[] = [];
        for await (const line of readLines(store, { session: "20261124T100000Z-b1" })) seqs.push(line.seq);
        expect(seqs).toEqual(Array.from({ length: 7_001 }, (_, i) => i + 1));
        const file = await fs.readFile(path.join(b, "current_session.jsonl"), "utf8");
        let text = "";
        for await (const line of readLines(store, { session: "20261124T100000Z-b1", upToSeq: 6_000 })) text += `${line.line}\n`;
        expect(text).toBe(file.split("\n").slice(0, 6_000).join("\n") + "\n");
        let everything = 0;
        for await (const _ of readLines(store, {})) everything++;
        expect(everything).toBe(6 + 13 + 7_001);
      } finally {
        await store.close();
      }
    });
  });
});
