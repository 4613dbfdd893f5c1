// An archive applies the rewinds a live tap recorded, as local search does, on both backends: a real recorder taps a
// Claude Code transcript an agent stand-in appends to; the messages are pushed first, the rewind's event (which the
// tap appends after them) reaches the archive in a later pass of `archive push --follow`. `has:rewound` then finds
// them, every hit of them says so (text: `(rewound)`, --json: rewound), an imported transcript's rewound messages
// are found beside them, and an archive of schema 1 holding both is migrated to find them.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { POSTGRES_MISSING_REASON } from "../helpers/postgresCluster.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { spawnShearwater } from "../recorder/support.ts";
import { claudeLine, TAKEN_BACK, tappedConversation } from "../transcripts/claudeTap.ts";
import { archiveBackends, shearwater } from "./archiveFixtures.ts";

vi.setConfig({ testTimeout: 120_000 });
const backends = archiveBackends();

interface Hit {
  seq: number;
  rewound: boolean;
  snippet: { text: string };
}

describe.each(backends)("archive on $name: a live tap's rewinds", (backend, available) => {
  describe.skipIf(!available)(available ? "" : `(skipped: ${POSTGRES_MISSING_REASON})`, () => {
    it("has:rewound finds a tapped message whose rewind event came in a later push, and its hit says so", async () => {
      const url = await backend.newArchive();
      const dir = await tmpDir();
      const search = async (...q: string[]): Promise<Hit[]> => {
        const r = await shearwater(["search", "--archive", url, "--json", ...q]);
        expect([r.status, r.stderr]).toEqual([0, ""]);
        return (JSON.parse(r.stdout) as Hit[]).sort((a, b) => a.seq - b.seq);
      };
      const texts = (hits: Hit[]) => hits.map((h) => h.snippet.text);

      const { logs, rewind, stop } = await tappedConversation(dir);
      try {
        // The first push: the messages, no rewind yet.
        const first = await shearwater(["archive", "push", "--to", url, "--logs", logs]);
        expect([first.status, first.stderr]).toEqual([0, ""]);
        expect(await search("has:rewound")).toEqual([]);
        expect((await search("taken back")).map((h) => h.rewound)).toEqual([false, false]);

        // A following push takes the rewind's event, appended after the messages it names, in a pass of its own.
        const follow = spawnShearwater(["archive", "push", "--to", url, "--logs", logs, "--follow"]);
        try {
          await rewind();
          await waitFor(async () => (await search("has:rewound")).length === 2 || null, { what: "the archive to apply the event", timeoutMs: 30_000 });
        } finally {
          follow.proc.kill("SIGTERM");
          await follow.exit;
        }
      } finally {
        await stop();
      }

      expect(await search("has:rewound")).toMatchObject([{ rewound: true }, { rewound: true }]);
      expect(texts(await search("has:rewound"))).toEqual(TAKEN_BACK);
      expect(texts(await search("answer", "has:rewound"))).toEqual([TAKEN_BACK[1]]);
      expect(texts(await search("has:error", "has:rewound"))).toEqual(TAKEN_BACK); // one of the values: error or rewound
      const question = await search("question");
      expect(question.map((h) => [h.snippet.text, h.rewound])).toEqual([["first question", false], [TAKEN_BACK[0], true]]);

      // The text output marks them.
      const text = await shearwater(["search", "--archive", url, "question"]);
      expect(text.status).toBe(0);
      const lines = text.stdout.trim().split("\n");
      expect(lines.find((l) => l.includes("taken back"))).toMatch(/\] claude_code \(rewound\) #\d+  a \[question\] taken back$/);
      expect(lines.find((l) => l.includes("first ["))).toMatch(/\] claude_code #\d+  first \[question\]$/);

      // An imported transcript's rewound messages (meta.rewound, a facet token) are found beside the tapped ones.
      const imported = path.join(dir, "imported.jsonl");
      await fs.writeFile(imported, [
        claudeLine("i1", null, "user", "imported question"), claudeLine("i2", "i1", "assistant", "imported answer"),
        claudeLine("i3", "i2", "user", "imported, taken back"), claudeLine("i5", "i2", "user", "imported, asked again"),
      ].join("\n") + "\n");
      const imp = await shearwater(["import", imported, "--logs", logs]);
      expect([imp.status, imp.stderr]).toEqual([0, ""]);
      expect((await shearwater(["archive", "push", "--to", url, "--logs", logs])).status).toBe(0);
      const all = [...TAKEN_BACK, "imported, taken back"];
      expect(texts(await search("has:rewound")).sort()).toEqual(all.sort());

      // An archive of schema 1 holding the messages and the event: migrated, it finds them.
      backend.exec(url, "DROP TABLE places; DROP TABLE rewinds; DELETE FROM schema_migrations WHERE version = 2;");
      const migrated = await shearwater(["archive", "migrate", "--to", url, "--json"]);
      expect([migrated.status, migrated.stderr]).toEqual([0, ""]);
      expect(JSON.parse(migrated.stdout)).toMatchObject({ from: 1, to: 2 });
      expect(texts(await search("has:rewound")).sort()).toEqual(all.sort());
      expect((await search("has:rewound")).every((h) => h.rewound)).toBe(true);
    });
  });
});
