// An archive applies the rewinds a live tap recorded, as local readers do, on both backends: a real recorder taps a
// Claude Code transcript an agent stand-in appends to; the messages are pushed first, the rewind's event (which the
// tap appends after them) reaches the archive in a later pass of `archive push --follow`. `has:rewound` then finds
// them, every hit of them says so (text: `(rewound)`, --json: rewound), `view --archive` and the TUI over the
// archive show them as the local viewer does (marked `(rewound)`, dimmed; the TUI open since the first push marks
// the rows it holds when the event arrives), an imported transcript's rewound messages are found beside them, and
// an archive of schema 1 holding both is migrated to find them.
import "../tui/forceColor.ts";
import fs from "node:fs/promises";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { rowOf } from "../../components/format.ts";
import { ArchiveServices } from "../../components/store/archiveServices.ts";
import { ArchiveTuiStore } from "../../components/store/archiveTuiStore.ts";
import { openArchive } from "../../src/archive/openArchive.ts";
import { POSTGRES_MISSING_REASON } from "../helpers/postgresCluster.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { spawnShearwater } from "../recorder/support.ts";
import { claudeLine, TAKEN_BACK, tappedConversation } from "../transcripts/claudeTap.ts";
import { cleanup, open } from "../tui/appHarness.tsx";
import { dimAt } from "../tui/dimAt.ts";
import { archiveBackends, shearwater } from "./archiveFixtures.ts";

vi.setConfig({ testTimeout: 120_000 });
const backends = archiveBackends();

interface Hit {
  seq: number;
  rewound: boolean;
  snippet: { text: string };
}

/** The TUI over the archive, every source's lines in its message list. */
async function archiveTui(url: string, logs: string) {
  const archive = await openArchive(url, "read");
  cleanup(() => archive.close());
  const shown = archive.location.shown;
  const t = await open(logs, { columns: 200, rows: 30 }, new ArchiveServices(archive, shown), new ArchiveTuiStore(archive, shown));
  await t.see(TAKEN_BACK[1]);
  /** The conversation's rows as the list formats them: the text, and whether it is dimmed and says (rewound). */
  const rows = () => {
    const total = t.store.getSnapshot().view?.total ?? 0;
    return Array.from({ length: total }, (_, i) => t.store.row(i)).flatMap((e) => {
      const r = e && rowOf(e);
      return r?.who.startsWith("claude_code") ? [[r.text, r.dim, r.who.endsWith(" (rewound)")]] : [];
    });
  };
  /** The frame's line showing `text`, styles kept. */
  const line = (text: string) => t.styled().split("\n").find((l) => stripVTControlCharacters(l).includes(text)) ?? "";
  return { t, rows, line };
}

/** What the list shows once the rewind is known: the taken-back pair dimmed and marked, the rest as before. */
const MARKED = [
  ["first question", false, false],
  ["first answer", false, false],
  [TAKEN_BACK[0], true, true],
  [TAKEN_BACK[1], true, true],
  ["asked again from the first answer", false, false],
];

describe.each(backends)("archive on $name: a live tap's rewinds", (backend, available) => {
  describe.skipIf(!available)(available ? "" : `(skipped: ${POSTGRES_MISSING_REASON})`, () => {
    it("has:rewound finds a tapped message whose rewind event came in a later push, its hit says so, view --archive and the TUI mark it", async () => {
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
        // The TUI, open before the event is archived, shows the pair as any other message.
        const tui = await archiveTui(url, logs);
        expect(tui.rows()).toEqual(MARKED.slice(0, 4).map(([text]) => [text, false, false]));

        // A following push takes the rewind's event, appended after the messages it names, in a pass of its own.
        const follow = spawnShearwater(["archive", "push", "--to", url, "--logs", logs, "--follow"]);
        try {
          await rewind();
          await waitFor(async () => (await search("has:rewound")).length === 2 || null, { what: "the archive to apply the event", timeoutMs: 30_000 });
          // Then the event's push arrives: the rows it holds are marked, as the local viewer marks them.
          await tui.t.waitFor(() => tui.rows().length === MARKED.length && tui.rows()[2][2] === true, "the held rows marked");
          expect(tui.rows()).toEqual(MARKED);
        } finally {
          follow.proc.kill("SIGTERM");
          await follow.exit;
        }
      } finally {
        await stop();
      }

      // `view --archive` marks exactly the rewound messages, as `view` marks a rewound message; --json prints the
      // lines as stored.
      const viewed = await shearwater(["view", "--archive", url]);
      expect([viewed.status, viewed.stderr]).toEqual([0, ""]);
      const said = viewed.stdout.split("\n").filter((l) => / claude_code · (user|assistant)/.test(l));
      expect(said.map((l) => [l.replace(/^.* (user|assistant)( \(rewound\))? /, ""), l.includes("(rewound)")])).toEqual(MARKED.map(([text, , marked]) => [text, marked]));
      expect(said[2]).toMatch(/^\d\d:\d\d:\d\d claude_code · user \(rewound\) a question taken back$/);
      const json = await shearwater(["view", "--archive", url, "--json"]);
      const stored = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as { kind: string; meta?: { text?: string; rewound?: boolean } });
      const pair = stored.filter((r) => r.kind === "message" && TAKEN_BACK.includes(r.meta?.text ?? ""));
      expect(pair.map((r) => [r.meta?.text, r.meta?.rewound])).toEqual(TAKEN_BACK.map((text) => [text, undefined]));

      // The TUI opened now reads them marked with their page: dimmed, (rewound) after who said it.
      const tui = await archiveTui(url, logs);
      await tui.t.waitFor(() => tui.rows().length === MARKED.length, "the conversation's rows");
      expect(tui.rows()).toEqual(MARKED);
      for (const text of TAKEN_BACK) for (const part of ["claude_code", text]) expect(dimAt(tui.line(text), part), `${text}: ${part}`).toBe(true);
      expect(stripVTControlCharacters(tui.line(TAKEN_BACK[0]))).toMatch(/claude_code \(rewound\) +user /); // the role in the type column
      for (const text of ["first question", "asked again"]) expect(dimAt(tui.line(text), text), text).toBe(false);

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
