// archive push of an encrypted session, on SQLite and a private PostgreSQL server: with the identity it ships the
// session's plaintext lines; without it, it names the session and the variable to set, exits 1, and still pushes
// every other session.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { archiveBackends } from "../archive/archiveFixtures.ts";
import { POSTGRES_MISSING_REASON } from "../helpers/postgresCluster.ts";
import { encryptedFolder, shearwater } from "./encryptedFolder.ts";

vi.setConfig({ testTimeout: 120_000 });
const backends = archiveBackends();

describe.each(backends)("archive push of an encrypted session on $name", (backend, available) => {
  describe.skipIf(!available)(available ? "" : `(skipped: ${POSTGRES_MISSING_REASON})`, () => {
    it("without the key the session is named with the variable (exit 1) and the rest is pushed; with it, its plaintext lines", async () => {
      const f = await encryptedFolder();
      const url = await backend.newArchive();
      const without = shearwater({}, "archive", "push", "--to", url, "--logs", f.dir, "--json");
      expect(without.status).toBe(1);
      expect(without.stderr).toMatch(new RegExp(`not pushed: ${f.stored.replace(/[.]/g, "\\.")} is encrypted with age: set SHEARWATER_AGE_IDENTITY`));
      const pushed = JSON.parse(without.stdout);
      expect(pushed).toMatchObject({ records: 2, sessions: 1, locked: [{ path: f.stored }] }); // the active session's two records

      const withKey = shearwater({ SHEARWATER_AGE_IDENTITY: f.identity }, "archive", "push", "--to", url, "--logs", f.dir, "--json");
      expect(withKey.status, withKey.stderr).toBe(0);
      expect(JSON.parse(withKey.stdout)).toMatchObject({ sessions: 1, locked: [] });
      const view = shearwater({}, "view", "--archive", url, "--session", f.sessionId, "--json");
      expect(view.status, view.stderr).toBe(0);
      // The lines as recorded (a terminal gets their control characters escaped, which parse back the same).
      const records = (text: string) => text.trimEnd().split("\n").map((l) => JSON.parse(l));
      expect(records(view.stdout)).toEqual(records(f.bytes.toString("utf8")));
      expect(await fs.readdir(path.dirname(f.plain))).toEqual([path.basename(f.stored)]); // still encrypted at rest
    });
  });
});
