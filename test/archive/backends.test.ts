// The archive's guarantees, through the real executable, for both backends from one table: SQLite always, and a
// private PostgreSQL server of the test's own (initdb) wherever PostgreSQL is installed (CI installs it).
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { POSTGRES_MISSING_REASON } from "../helpers/postgresCluster.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { appendMessages, messageLine } from "../search/corpus.ts";
import { archiveBackends, lines, makeLogs, manyMessages, sessionLines, shearwater, START } from "./archiveFixtures.ts";

// Each test runs several programs against a database server: on a busy 2-core machine that takes a while.
vi.setConfig({ testTimeout: 120_000 });
const backends = archiveBackends();

if (!backends[1][1]) console.warn(`archive tests: PostgreSQL skipped: ${POSTGRES_MISSING_REASON}`);

describe.each(backends)("archive on $name", (backend, available) => {
  describe.skipIf(!available)(available ? "" : `(skipped: ${POSTGRES_MISSING_REASON})`, () => {
    it("stores every record of every session once, however often pushed, and the lines unchanged", async () => {
      const url = await backend.newArchive();
      const logs = await tmpDir();
      await makeLogs(logs, { id: "S-current", msgs: manyMessages(30, "alice") }, [{ id: "S-sealed", msgs: manyMessages(20, "bob") }]);
      const first = await shearwater(["archive", "push", "--to", url, "--logs", logs, "--json"]);
      expect(first.stderr).toBe("");
      expect(first.status).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ records: 52, sessions: 2, damaged: 0 });
      const again = await shearwater(["archive", "push", "--to", url, "--logs", logs, "--json"]);
      expect(JSON.parse(again.stdout)).toMatchObject({ records: 0, sessions: 0 });
      expect(backend.counts(url)).toEqual({ records: 52, distinct: 52 });

      const view = await shearwater(["view", "--archive", url, "--session", "S-sealed", "--json"]);
      expect(view.status).toBe(0);
      const file = await fs.readFile(path.join(logs, "sessions", "S-sealed.jsonl"), "utf8");
      expect(view.stdout).toBe(file);
    });

    it("ships only what was appended since, and a session cut and written again without duplicates", async () => {
      const url = await backend.newArchive();
      const logs = await tmpDir();
      const current = await makeLogs(logs, { id: "S-grow", msgs: manyMessages(10, "alice") });
      await shearwater(["archive", "push", "--to", url, "--logs", logs]);
      await appendMessages(current, manyMessages(5, "alice", "later words"), 12, START);
      const r = await shearwater(["archive", "push", "--to", url, "--logs", logs, "--json"]);
      expect(JSON.parse(r.stdout)).toMatchObject({ records: 5 });
      // The file cut inside a line and grown again (a repair, then new records): the archive's position is no
      // longer a line's start, so the push reads from the start and stores only the seqs it lacks.
      const text = await fs.readFile(current, "utf8");
      const kept = text.slice(0, text.length - 40);
      const cut = kept.slice(0, kept.lastIndexOf("\n") + 1);
      await fs.writeFile(current, cut + lines([messageLine({ from: "alice", text: "after the repair", at: 99 }, 17, START)]));
      const after = await shearwater(["archive", "push", "--to", url, "--logs", logs, "--json"]);
      expect(JSON.parse(after.stdout)).toMatchObject({ records: 1 });
      expect(backend.counts(url)).toEqual({ records: 17, distinct: 17 });
    });

    it("takes two logs folders pushing at once, each record once, each folder its own source", async () => {
      const url = await backend.newArchive();
      const [a, b] = [await tmpDir(), await tmpDir()];
      // The same session id in both folders: the source keeps them apart.
      await makeLogs(a, { id: "S-same", msgs: manyMessages(300, "alice") });
      await makeLogs(b, { id: "S-same", msgs: manyMessages(300, "bob") });
      await shearwater(["archive", "migrate", "--to", url]);
      const runs = await Promise.all([a, b, a, b].map((logs) => shearwater(["archive", "push", "--to", url, "--logs", logs])));
      for (const r of runs) expect([r.status, r.stderr]).toEqual([0, ""]);
      expect(backend.counts(url)).toEqual({ records: 602, distinct: 602 });
      const status = await shearwater(["archive", "status", "--to", url, "--json"]);
      const sources = JSON.parse(status.stdout) as { id: string; folder: string; records: number; behindBytes: number }[];
      expect(sources.map((s) => [s.folder, s.records, s.behindBytes]).sort()).toEqual([[a, 301, 0], [b, 301, 0]].sort());
      for (const logs of [a, b]) {
        const id = JSON.parse(await fs.readFile(path.join(logs, "source.json"), "utf8")).id;
        expect(sources.find((s) => s.folder === logs)!.id).toBe(id);
        expect((await fs.stat(path.join(logs, "source.json"))).mode & 0o777).toBe(0o600);
      }
    });

    it("searches across sources with typos, phrases and filters, host: and origin: picking sources", async () => {
      const url = await backend.newArchive();
      const [a, b] = [await tmpDir(), await tmpDir()];
      await makeLogs(a, {
        id: "S-a",
        msgs: [
          { from: "alice", to: "bob", text: "the database migration failed on staging", at: 1, tier: 1, tags: ["urgent"] },
          { from: "alice", text: "lunch plans for friday", at: 2 },
        ],
      });
      await makeLogs(b, { id: "S-b", msgs: [{ from: "carol", to: "alice", text: "database backup finished", at: 3, topic: "ops.backup" }] });
      for (const logs of [a, b]) expect((await shearwater(["archive", "push", "--to", url, "--logs", logs])).status).toBe(0);
      const search = async (...q: string[]) => {
        const r = await shearwater(["search", "--archive", url, "--json", ...q]);
        expect(r.stderr).toBe("");
        return JSON.parse(r.stdout) as { seq: number; agent: string; session: string; source: string; snippet: { text: string; hits: [number, number][] }; origin: { folder: string } }[];
      };
      const typo = await search("databse");
      expect(typo.map((h) => h.agent).sort()).toEqual(["alice", "carol"]);
      expect(typo[0]).toMatchObject({ source: "archive" });
      const hit = typo.find((h) => h.agent === "alice")!;
      expect(hit.snippet.text.slice(...hit.snippet.hits[0])).toBe("database");
      expect((await search("migraton", "faild")).map((h) => h.seq)).toEqual([2]);
      expect((await search('"migration failed"')).map((h) => h.agent)).toEqual(["alice"]);
      expect((await search('"failed migration"'))).toEqual([]);
      expect((await search("database", "from:carol")).map((h) => h.agent)).toEqual(["carol"]);
      expect((await search("tag:urgent", "tier:1")).map((h) => h.agent)).toEqual(["alice"]);
      expect((await search("topic:ops")).map((h) => h.agent)).toEqual(["carol"]);
      expect((await search("database", "until:2026-11-24T10:02Z")).map((h) => h.agent)).toEqual(["alice"]);
      const id = JSON.parse(await fs.readFile(path.join(b, "source.json"), "utf8")).id as string;
      expect((await search("database", `origin:${id.slice(0, 8)}`)).map((h) => h.origin.folder)).toEqual([b]);
      expect((await search("database", `origin:${a}`)).map((h) => h.origin.folder)).toEqual([a]);
      expect(await search("database", "host:no-such-host")).toEqual([]);
      const [host] = (await search("lunch")).map((h) => (h as unknown as { origin: { host: string } }).origin.host);
      expect((await search("database", `host:${host}`)).length).toBe(2);
    });

    it("views a checkpoint's records from the archive, and refuses to read an archive never pushed to", async () => {
      const url = await backend.newArchive();
      const logs = await tmpDir();
      const current = await makeLogs(logs, { id: "S-cp", msgs: manyMessages(4, "alice") });
      const cp = await shearwater(["checkpoint", "--logs", logs, "--json", "four"]);
      expect(cp.status).toBe(0);
      await appendMessages(current, manyMessages(3, "alice", "after the checkpoint"), 6, START);
      const empty = await shearwater(["search", "--archive", url, "anything"]);
      expect(empty.status).toBe(1);
      expect(empty.stderr).toMatch(/no Shearwater archive at .* yet/);
      const pushed = await shearwater(["archive", "push", "--to", url, "--logs", logs, "--json"]);
      expect(JSON.parse(pushed.stdout)).toMatchObject({ records: 8, checkpoints: 1 });
      const view = await shearwater(["view", "--archive", url, "--checkpoint", JSON.parse(cp.stdout).id, "--json"]);
      expect(view.stdout).toBe(lines(sessionLines("S-cp", manyMessages(4, "alice"))));
    });
  });
});
