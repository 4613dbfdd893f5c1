// Imported messages read as conversation everywhere: `view` lines and TUI rows show who, role and the readable text
// (tool calls as Bash(git status)), never the raw line; search finds their text and takes the filters tool:,
// model:, role:, has:error, has:rewound and source:, from the index and from the scan of what is not indexed alike.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { render } from "ink-testing-library";
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowOf } from "../../components/format.ts";
import { MessageRow } from "../../components/MessagesPane.tsx";
import { isMessage } from "../../src/record.ts";
import { indexOnce } from "../../src/search/indexer.ts";
import { deleteIndex } from "../../src/search/indexStore.ts";
import { parseQuery, QueryError } from "../../src/search/queryParser.ts";
import { searchAll } from "../../src/search/search.ts";
import { sealedFile } from "../../src/storage/sessionFile.ts";
import { SessionReader } from "../../src/storage/sessionReader.ts";
import { importTranscripts, type FileImport } from "../../src/transcripts/importer.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { FIXTURES } from "./support.ts";

let logs: string;
let imported: FileImport[];
const sessionOf = (name: string) => imported.find((r) => r.file.endsWith(name))!.session!;

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "shearwater-readable-")); // shared by the tests, removed after all
  logs = path.join(dir, "logs");
  imported = await importTranscripts(logs, [FIXTURES]);
});

afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("imported messages read as conversation", () => {
  it("in view: who, role and text, tool calls as Name(args)", () => {
    const checkpoint = imported.find((r) => r.file.endsWith("s1.jsonl"))!.checkpoint!;
    const run = shearwaterSync("view", "--logs", logs, "--checkpoint", checkpoint);
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines).toContain("10:00:01 claude_code · user why does the build fail?");
    expect(lines).toContain("10:00:02 claude_code · assistant Bash(git status)");
    expect(lines).toContain("10:00:03 claude_code · tool Bash → fatal: not a git repository");
    expect(lines).toContain("10:00:07 claude_code · user (rewound) delete everything");
    expect(run.stdout).not.toContain('"parentUuid"');
  });

  it("in the TUI's rows: the subagent's thread marked, the role in the type column, asides dimmed", async () => {
    const reader = await SessionReader.open(sealedFile(logs, sessionOf("agent-a77.jsonl")));
    const rows = (await reader.readRange(0, 3)).map(rowOf);
    await reader.close();
    expect(rows.slice(1).map((r) => [r.who, r.type, r.text, r.dim])).toEqual([
      ["claude_code › a77", "user", "Explore the repo", false],
      ["claude_code › a77", "assistant", "Found 3 files.", false],
    ]);
    const gemini = await SessionReader.open(sealedFile(logs, sessionOf("g1.jsonl")));
    const [, meta] = (await gemini.readRange(0, 2)).map(rowOf);
    await gemini.close();
    expect(meta).toMatchObject({ who: "gemini_cli", type: "system", dim: true });
  });

  it("in an 80-column row, who said it and the role both whole", async () => {
    const reader = await SessionReader.open(sealedFile(logs, sessionOf("s1.jsonl")));
    const entries = await reader.readRange(0, 20);
    await reader.close();
    const said = (text: string) => entries.find((e) => e.record && isMessage(e.record) && e.record.meta?.text === text);
    const [user, assistant] = [said("why does the build fail?"), said("Bash(git status)")];
    const row = (entry: typeof user) => stripVTControlCharacters(render(createElement(MessageRow, { entry, width: 80, selected: false })).lastFrame() ?? "");
    expect(row(user)).toMatch(/^10:00:01 claude_code +user +why does the build fail\?/);
    expect(row(assistant)).toMatch(/^10:00:02 claude_code +assistant +Bash\(git status\)/);
  });
});

describe("search over imported messages", () => {
  const found = async (query: string) =>
    (await searchAll(logs, parseQuery(`${query} `), { scope: "all", limit: 100 })).map((h) => `${h.session === sessionOf("s1.jsonl") ? "" : `${h.topic}:`}${h.seq}`).sort();

  for (const indexed of [false, true]) {
    describe(indexed ? "from the index" : "by the scan", () => {
      beforeAll(async () => {
        deleteIndex(logs);
        if (indexed) await indexOnce(logs);
      });

      it("finds the readable text, typos and all", async () => {
        expect(await found("repositry")).toEqual(["13", "8"]); // "not a git repository" (a tool result), "not in a git repository."
      });

      it("takes tool:, model:, role:, has:error, has:rewound and source:", async () => {
        expect(await found("tool:bash")).toEqual(["7"]);
        expect(await found("tool:grep tool:read")).toEqual(["10", "9"]);
        expect(await found("model:claude-sonnet-4-5")).toEqual(["19"]);
        expect((await found("role:tool source:claude")).filter((h) => !h.includes(":"))).toEqual(["11", "12", "8"]);
        expect(await found("has:error source:gemini")).toEqual(["gemini_cli:9"]);
        expect(await found("has:error source:codex_cli")).toEqual(["codex_cli:13", "codex_cli:9"]);
        expect(await found("init role:user source:claude")).toEqual(["16"]);
        expect(await found("has:rewound source:claude")).toEqual(["14", "15"]); // the branch a rewind left: "delete everything"
        expect(await found("has:rewound has:error source:claude")).toEqual(["14", "15", "8"]);
      });
    });
  }

  it("says what a filter takes", () => {
    expect(() => parseQuery("role:robot")).toThrow(QueryError);
    expect(() => parseQuery("has:joy")).toThrow(/has: takes error, rewound/);
    expect(() => parseQuery("source:vim")).toThrow(/source: takes claude, gemini, codex/);
  });
});
