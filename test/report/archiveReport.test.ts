// `shearwater report --archive`: the same report over a team archive, through the real executable, on SQLite and a
// private PostgreSQL server of the test's own: two logs folders of known sessions pushed, the figures of all of them
// (each source's counted once), of one source picked by --origin or --host, of one session, and of a time range —
// each equal to the known answers and to the report of the logs folder itself.
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { Report } from "../../src/report/report.ts";
import { POSTGRES_MISSING_REASON } from "../helpers/postgresCluster.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { archiveBackends, shearwater } from "../archive/archiveFixtures.ts";
import { KNOWN, writeSession } from "./sessions.ts";

vi.setConfig({ testTimeout: 120_000 });
const backends = archiveBackends();

async function reportJson(...args: string[]): Promise<Report> {
  const run = await shearwater(["report", "--json", ...args]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

/** A report's figures without when and of what it was made. */
function figures(r: Report): Partial<Report> {
  const { generated_at: _at, scope: _scope, ...rest } = r;
  return rest;
}

/** Two logs folders pushed to the archive: A with the known session, B with the known session under another id. */
async function twoSources(url: string): Promise<{ a: string; b: string }> {
  const [a, b] = [path.join(await tmpDir(), "a"), path.join(await tmpDir(), "b")];
  await writeSession(a, KNOWN);
  await writeSession(b, KNOWN.slice(0, 6), "20261124T100000Z-other");
  for (const logs of [a, b]) {
    const pushed = await shearwater(["archive", "push", "--to", url, "--logs", logs]);
    expect(pushed.status, pushed.stderr).toBe(0);
  }
  return { a, b };
}

describe.each(backends)("report --archive on $name", (backend, available) => {
  describe.skipIf(!available)(available ? "" : `(skipped: ${POSTGRES_MISSING_REASON})`, () => {
    it("reports on every source, one source, one session and a time range, as the logs folders' own reports", async () => {
      const url = await backend.newArchive();
      const { a, b } = await twoSources(url);

      const all = await reportJson("--archive", url);
      expect(all.messages).toBe(15 + 6);
      expect(all.events).toBe(2);
      expect(all.messages_by_agent).toEqual({ a: 7 + 3, b: 5 + 3, c: 2, d: 1 });
      expect(all.chains.count).toBe(6 + 3); // q1…q3 of A and of B: each folder's own chains
      expect(all.chains.longest[0]).toMatchObject({ chain_id: "q6", messages: 4 });
      // b's three answers in B (100, 300, 200 ms) timed as well as A's five: n 8, p50 200, p95 1000
      expect(all.reply_latency_ms["a→b"]).toEqual({ p50: 200, p95: 1000, max: 1000, mean: 325, n: 8 });
      expect(all.scope.sessions.sort()).toEqual(["20261124T100000Z-other", "20261124T100000Z-test"]);

      const onlyA = await reportJson("--archive", url, "--origin", a);
      expect(figures(onlyA)).toEqual(figures(await reportJson("--logs", a)));
      expect(onlyA.scope.what).toContain(`origin ${a}`);
      const onlyB = await reportJson("--archive", url, "--session", "20261124T100000Z-other");
      expect(figures(onlyB)).toEqual(figures(await reportJson("--logs", b)));
      const range = ["--since", "2026-11-24T10:00:05Z", "--until", "2026-11-24T10:59:00Z"];
      expect(figures(await reportJson("--archive", url, "--origin", a, ...range))).toEqual(figures(await reportJson("--logs", a, ...range)));
      expect((await reportJson("--archive", url, "--host", os.hostname().toUpperCase())).messages).toBe(21);
    });

    it("says clearly when nothing matches, and refuses flags of a logs folder", async () => {
      const url = await backend.newArchive();
      await twoSources(url);
      const none = await shearwater(["report", "--archive", url, "--host", "no-such-host"]);
      expect(none.status).toBe(1);
      expect(none.stderr).toContain("no source of the archive matches host no-such-host");
      const noSession = await shearwater(["report", "--archive", url, "--session", "nope"]);
      expect(noSession.status).toBe(1);
      expect(noSession.stderr).toContain('no session "nope" in the archive');
      for (const args of [["--archive", url, "--all"], ["--archive", url, "--checkpoint", "x"], ["--host", "h"]]) {
        const bad = await shearwater(["report", ...args, "--logs", await tmpDir()]);
        expect(bad.status, args.join(" ")).toBe(2);
      }
    });
  });
});
