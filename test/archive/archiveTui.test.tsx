// The TUI over a team archive (ink-testing-library), for both backends: every source's lines newest at the bottom,
// the sessions listed by host, a session read from the archive a page at a time, the archive's search with typos
// and a jump to the hit, lines pushed meanwhile followed, and every write command refused with a notice.
import { describe, expect, it, vi } from "vitest";
import { ArchiveServices } from "../../components/store/archiveServices.ts";
import { ArchiveTuiStore } from "../../components/store/archiveTuiStore.ts";
import type { ArchiveStore, LineSelection } from "../../src/archive/archiveStore.ts";
import { openArchive } from "../../src/archive/openArchive.ts";
import { push } from "../../src/archive/pushLoop.ts";
import { POSTGRES_MISSING_REASON } from "../helpers/postgresCluster.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { appendMessages } from "../search/corpus.ts";
import { cleanup, KEY, open } from "../tui/appHarness.tsx";
import { archiveBackends, makeLogs, manyMessages, START } from "./archiveFixtures.ts";

vi.setConfig({ testTimeout: 120_000 });
const backends = archiveBackends();

/** The real store, with the size of every page of lines it handed out noted. */
function observed(store: ArchiveStore): { store: ArchiveStore; pages: number[] } {
  const pages: number[] = [];
  const proxy = new Proxy(store, {
    get(target, key) {
      if (key === "lines") {
        return async (sel: LineSelection) => {
          const lines = await target.lines(sel);
          pages.push(lines.length);
          return lines;
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store: proxy, pages };
}

describe.each(backends)("the TUI over an archive on $name", (backend, available) => {
  describe.skipIf(!available)(available ? "" : `(skipped: ${POSTGRES_MISSING_REASON})`, () => {
    it("browses every source and each session, pages from the archive, searches it, follows pushes, never writes", async () => {
      const url = await backend.newArchive();
      const [a, b] = [await tmpDir(), await tmpDir()];
      await makeLogs(a, { id: "20261124T110000Z-a2", msgs: manyMessages(5, "alice", "alpha report") }, [
        { id: "20261124T100000Z-a1", msgs: manyMessages(12, "alice", "alpha report") },
      ]);
      const bCurrent = await makeLogs(b, { id: "20261124T100000Z-b1", msgs: manyMessages(3_000, "bob", "bravo status") });
      for (const logs of [a, b]) await push({ logsDir: logs, url });

      const archive = await openArchive(url, "read");
      cleanup(() => archive.close());
      const { store, pages } = observed(archive);
      const shown = archive.location.shown;
      const t = await open(a, { columns: 120, rows: 30 }, new ArchiveServices(store, shown), new ArchiveTuiStore(store, shown));

      // Every source, the newest line (B's, pushed last) at the bottom.
      await t.see("bravo status number 2999");
      await t.see("Messages — every source (archive)");
      expect(t.frame().split("\n").at(-2)).toContain("bravo status number 2999");
      // The list: the sessions by host, each folder named (two folders on this host).
      await t.see("3020 rec");
      const sessions = t.store.getSnapshot().checkpoints;
      expect(sessions.map((s) => [s.session, s.records])).toEqual(
        expect.arrayContaining([["20261124T100000Z-a1", 13], ["20261124T110000Z-a2", 6], ["20261124T100000Z-b1", 3_001]]),
      );
      expect(sessions.find((s) => s.session.endsWith("-b1"))!.label).toMatch(new RegExp(`· 20261124T100000Z-b1 · ${b}$`));

      // Open B's session from the list and go to its first line: read a page at a time, never whole.
      await t.press(KEY.esc);
      const row = sessions.findIndex((s) => s.session.endsWith("-b1")) + 1;
      for (let i = 0; i < row; i++) await t.press(KEY.down);
      await t.press(KEY.enter);
      await t.see("Messages — session 20261124T100000Z-b1");
      await t.press("g");
      await t.see("bravo status number 0");
      await t.see("session_started");
      expect(Math.max(...pages)).toBeLessThanOrEqual(500);
      expect(pages.reduce((n, p) => n + p, 0)).toBeLessThan(3_001);

      // The archive's search, with a typo, and Enter on a hit shows it in its session.
      await t.press("/");
      await t.see("Search:");
      for (const c of "alpha reprt 7 ") await t.press(c);
      await t.see(/\b1 hits\b/);
      await t.see("alpha report number 7");
      await t.press(KEY.enter);
      await t.see("hit 1/1");
      await t.see("Messages — session 20261124T100000Z-a1");

      // Writing is refused, with a notice rather than a question.
      await t.press("V");
      await t.see("Messages — every source (archive)");
      for (const [key, what] of [["L", "L (load)"], ["C", "C (checkpoint)"], ["N", "N (new session)"]]) {
        await t.press(key);
        await t.see(`${what} is off: read-only: this is a team archive`);
        expect(t.frame()).not.toMatch(/Label:|\(y\/n\)/i);
      }

      // Lines pushed while it is open show up at the bottom of every source.
      await t.see("bravo status number 2999");
      await appendMessages(bCurrent, manyMessages(2, "bob", "late arrival"), 3_002, START);
      await push({ logsDir: b, url });
      await t.see("late arrival number 1");
      expect(t.frame().split("\n").at(-2)).toContain("late arrival number 1");
    });
  });
});
