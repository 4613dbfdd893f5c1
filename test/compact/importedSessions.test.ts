// Imported sessions are sealed sessions: compact compresses and encrypts them like any other, under the imports'
// lock; a transcript that grew after its session was stored so adds only its new lines, into a session that continues
// it (read with the key), and never everything again; without the key the import fails, adding nothing.
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compactLogs } from "../../src/compact/compact.ts";
import { sessionFileOf } from "../../src/storage/checkpoints.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { streamEntries } from "../../src/storage/sessionReader.ts";
import { importTranscripts } from "../../src/transcripts/importer.ts";
import { lockImports } from "../../src/transcripts/importState.ts";
import { ageDecryptWithIdentity, ageKeygen } from "../backup/support.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { fixture } from "../transcripts/support.ts";

afterEach(() => {
  vi.unstubAllEnvs();
});

/** The records of a session, in whatever form it is stored. */
async function recordsOf(logs: string, session: string): Promise<Array<Record<string, any>>> {
  const out: Array<Record<string, any>> = [];
  for await (const e of streamEntries(await sessionFileOf(logs, session))) out.push(JSON.parse(e.raw));
  return out;
}

/** The transcript lines (their numbers) held by the sessions, in order. */
async function importedLines(logs: string, sessions: string[]): Promise<number[]> {
  const lines: number[] = [];
  for (const s of sessions) for (const r of await recordsOf(logs, s)) if (r.kind === "message") lines.push(r.meta.source.line);
  return lines;
}

async function transcript(): Promise<{ logs: string; file: string; lines: string[] }> {
  const dir = await tmpDir();
  const file = path.join(dir, "s1.jsonl");
  const lines = (await fs.readFile(fixture("claude/s1.jsonl"), "utf8")).trimEnd().split("\n");
  await fs.writeFile(file, `${lines.slice(0, 8).join("\n")}\n`);
  return { logs: path.join(dir, "logs"), file, lines };
}

describe("imported sessions at rest", () => {
  it("are encrypted by compact; a grown transcript then adds only its new lines, in a session continuing the stored one", async () => {
    const { logs, file, lines } = await transcript();
    const [first] = await importTranscripts(logs, [file]);
    const identity = path.join(await tmpDir(), "key.txt");
    const encryption = { recipients: [ageKeygen(identity)] };
    const result = await compactLogs(logs, { encryption });
    const stored = path.join(logsPaths(logs).sessions, `${first.session}.jsonl.swc.age`);
    expect(result.compacted.map((c) => c.file)).toEqual([stored]);
    expect(await fs.readdir(logsPaths(logs).sessions)).toEqual([path.basename(stored)]);
    expect(ageDecryptWithIdentity(stored, identity).subarray(0, 4).length).toBe(4); // a standard age file

    vi.stubEnv("SHEARWATER_AGE_IDENTITY", identity);
    expect(await importTranscripts(logs, [file])).toEqual([expect.objectContaining({ status: "unchanged", records: 0, session: first.session })]);
    expect(await fs.readdir(logsPaths(logs).sessions)).toHaveLength(1); // nothing new: no session made for it

    await fs.appendFile(file, `${lines.slice(8, 14).join("\n")}\n`);
    const [grown] = await importTranscripts(logs, [file]);
    expect(grown).toMatchObject({ status: "grown", records: 6 });
    expect(grown.session).not.toBe(first.session);
    const [started] = await recordsOf(logs, grown.session!);
    expect(started).toMatchObject({ event: "session_started", imported_from: { file, continues: first.session } });

    // The continuing session is plain until the next compaction: it grows like any imported session, then is stored.
    await fs.appendFile(file, `${lines.slice(14).join("\n")}\n`);
    expect(await importTranscripts(logs, [file])).toEqual([expect.objectContaining({ status: "grown", records: lines.length - 14, session: grown.session })]);
    expect((await compactLogs(logs, { encryption })).compacted.map((c) => c.file)).toEqual([path.join(logsPaths(logs).sessions, `${grown.session}.jsonl.swc.age`)]);
    expect(await importedLines(logs, [first.session!, grown.session!])).toEqual(lines.map((_, i) => i + 1)); // each line once
    expect(await importTranscripts(logs, [file])).toEqual([expect.objectContaining({ status: "unchanged", records: 0 })]);
  });

  it("without the key, a grown transcript of an encrypted session fails with what to set, and adds nothing", async () => {
    const { logs, file, lines } = await transcript();
    const [first] = await importTranscripts(logs, [file]);
    await compactLogs(logs, { encryption: { recipients: [ageKeygen(path.join(await tmpDir(), "key.txt"))] } });
    await fs.appendFile(file, `${lines.slice(8).join("\n")}\n`);
    vi.stubEnv("SHEARWATER_AGE_IDENTITY", "");
    const [failed] = await importTranscripts(logs, [file]);
    expect(failed).toMatchObject({ status: "failed", records: 0, reason: expect.stringMatching(/is encrypted with age: set SHEARWATER_AGE_IDENTITY/) });
    expect(await fs.readdir(logsPaths(logs).sessions)).toEqual([`${first.session}.jsonl.swc.age`]);
  });

  it("a compressed imported session continues too, with no key needed; one an import is adding to is left for the next run", async () => {
    const { logs, file, lines } = await transcript();
    const [first] = await importTranscripts(logs, [file]);
    const release = await lockImports(logsPaths(logs).root);
    try {
      const held = await compactLogs(logs);
      expect(held.compacted).toEqual([]);
      expect(held.skipped).toEqual([{ file: path.join(logsPaths(logs).sessions, `${first.session}.jsonl`), reason: expect.stringMatching(/an import is adding to it/) }]);
    } finally {
      await release();
    }
    expect((await compactLogs(logs)).compacted).toHaveLength(1);
    await fs.appendFile(file, `${lines.slice(8).join("\n")}\n`);
    const [grown] = await importTranscripts(logs, [file]);
    expect(grown).toMatchObject({ status: "grown", records: lines.length - 8 });
    expect(await importedLines(logs, [first.session!, grown.session!])).toEqual(lines.map((_, i) => i + 1));
  });
});
