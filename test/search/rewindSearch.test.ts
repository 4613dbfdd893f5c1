// `has:rewound` finds the messages a live tap's `transcript_rewound` event named, and every search marks them
// rewound: with a real recorder tapping a Claude Code transcript an agent stand-in appends to. The event comes after
// the messages, so each way search reads is exercised: the index built before the event (the event in the scanned
// tail), the index holding the event (rows marked again), a fresh index (messages and event in one batch), no index
// (the scan), and an index of schema 7 upgraded.
import fs from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { indexOnce } from "../../src/search/indexer.ts";
import { deleteIndex, indexPath, SCHEMA_VERSION } from "../../src/search/indexStore.ts";
import { searchAll } from "../../src/search/search.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { readSession } from "../recorder/support.ts";
import { claudeLine, TAKEN_BACK, tappedConversation } from "../transcripts/claudeTap.ts";

/** The texts of a search's hits, sorted, with where they came from and whether they are marked rewound. */
async function found(logs: string, query: string): Promise<{ texts: string[]; sources: string[]; rewound: boolean[] }> {
  const hits = await searchAll(logs, `${query} `);
  const recs = await readSession(logs);
  const text = (seq: number) => recs.filter((r) => r.kind === "message").find((r) => r.seq === seq)!.meta.text ?? "";
  const sorted = [...hits].sort((a, b) => a.seq - b.seq);
  return { texts: sorted.map((h) => text(h.seq)), sources: [...new Set(sorted.map((h) => h.source))], rewound: sorted.map((h) => h.rewound) };
}

describe("search: rewinds a live tap recorded", () => {
  it("has:rewound finds them from the index, the scan and an upgraded index; every hit says so; reports count them", { timeout: 90_000 }, async () => {
    const dir = await tmpDir();
    const { logs, rewind, stop } = await tappedConversation(dir);
    try {
      await indexOnce(logs); // the index holds the messages, not yet the rewind
      expect((await found(logs, "has:rewound")).texts).toEqual([]);

      await rewind();

      // The event is in the part of the session the index has not reached: the index's rows are found by place.
      const cli = shearwaterSync("search", "has:rewound", "--json", "--logs", logs);
      expect(cli.status, cli.stderr).toBe(0);
      const cliHits = JSON.parse(cli.stdout) as Array<{ seq: number; rewound: boolean; source: string }>;
      expect(cliHits.map((h) => [h.rewound, h.source])).toEqual([[true, "index"], [true, "index"]]);
      expect(await found(logs, "has:rewound")).toEqual({ texts: TAKEN_BACK, sources: ["index"], rewound: [true, true] });
      expect(await found(logs, "taken back")).toEqual({ texts: TAKEN_BACK, sources: ["index"], rewound: [true, true] });
      expect((await found(logs, "first")).rewound).toEqual([false, false, false]);

      // The index reaches the event: it marks the rows it holds, and answers alone.
      await indexOnce(logs);
      expect(await found(logs, "has:rewound")).toEqual({ texts: TAKEN_BACK, sources: ["index"], rewound: [true, true] });
      expect(await found(logs, "answer has:rewound")).toEqual({ texts: [TAKEN_BACK[1]], sources: ["index"], rewound: [true] });

      // No index: the scan finds the events first, then marks as it matches.
      deleteIndex(logs);
      expect(await found(logs, "has:rewound")).toEqual({ texts: TAKEN_BACK, sources: ["scan"], rewound: [true, true] });
      expect(await found(logs, "question")).toEqual({ texts: ["first question", TAKEN_BACK[0]], sources: ["scan"], rewound: [false, true] });
      const scanned = shearwaterSync("search", "has:rewound", "--json", "--logs", logs);
      expect((JSON.parse(scanned.stdout) as Array<{ source: string }>).map((h) => h.source)).toEqual(["scan", "scan"]);

      // A fresh index: the messages and the event in one batch.
      await indexOnce(logs);
      expect(await found(logs, "has:rewound")).toEqual({ texts: TAKEN_BACK, sources: ["index"], rewound: [true, true] });

      // An index of schema 7 (no places kept) is upgraded: the session of transcript messages is indexed again.
      const db = new Database(indexPath(logs));
      db.exec("DROP TABLE sources; DROP TABLE source_refs; DROP TABLE rewinds; UPDATE meta SET value = '7' WHERE key = 'schema_version'");
      db.close();
      await indexOnce(logs);
      const upgraded = new Database(indexPath(logs), { readonly: true });
      expect(upgraded.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION));
      expect(upgraded.prepare("SELECT count(*) FROM source_refs WHERE rewound = 1").pluck().get()).toBe(2);
      upgraded.close();
      expect(await found(logs, "has:rewound")).toEqual({ texts: TAKEN_BACK, sources: ["index"], rewound: [true, true] });

      // Reports count them apart (and keep them in the other figures and in tokens and cost), as they do an
      // imported transcript's rewound messages.
      const report = (...args: string[]) => {
        const r = shearwaterSync("report", ...args, "--logs", logs);
        expect(r.status, r.stderr).toBe(0);
        return r.stdout;
      };
      const tapped = JSON.parse(report("--json"));
      expect(tapped.rewound).toEqual({ messages: 2, by_agent: { claude_code: 2 }, by_source: { claude: 2 } });
      expect(tapped.messages_by_agent.claude_code).toBe(5);
      const imported = path.join(dir, "imported.jsonl");
      await fs.writeFile(imported, [
        claudeLine("i1", null, "user", "imported question"), claudeLine("i2", "i1", "assistant", "imported answer"),
        claudeLine("i3", "i2", "user", "imported, taken back"), claudeLine("i4", "i3", "assistant", "imported answer taken back"),
        claudeLine("i5", "i2", "user", "imported, asked again"),
      ].join("\n") + "\n");
      expect(shearwaterSync("import", imported, "--logs", logs).status).toBe(0);
      const all = JSON.parse(report("--all", "--json"));
      expect(all.rewound).toEqual({ messages: 4, by_agent: { claude_code: 4 }, by_source: { claude: 4 } });
      expect(report("--all")).toContain("rewound: 4 messages taken out of the conversation by a rewind");
      expect(report("--all", "--md")).toMatch(/## Rewound messages by source[\s\S]*\| claude \| 4 \|/);
    } finally {
      await stop();
    }
  });
});
