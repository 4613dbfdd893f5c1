// Reading the small transcripts of test/fixtures/transcripts with their rewinds marked: a pass to find them, then
// the records.
import fs from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { TranscriptRecord } from "../../src/transcripts/records.ts";
import { rewindFinderFor } from "../../src/transcripts/formats.ts";
import { TranscriptReader } from "../../src/transcripts/transcriptReader.ts";
import type { TranscriptFormat } from "../../src/transcripts/types.ts";

export const FIXTURES = fileURLToPath(new URL("../fixtures/transcripts/", import.meta.url));
export const fixture = (name: string) => FIXTURES + name;

export type Parsed = TranscriptRecord;

export async function readAll(file: string, format: TranscriptFormat): Promise<Parsed[]> {
  const fh = await fs.open(file, "r");
  try {
    const finder = rewindFinderFor(format);
    for await (const _ of new TranscriptReader(file, format, undefined, (line, value) => finder?.add(line, value)).read(fh));
    const out: TranscriptRecord[] = [];
    for await (const batch of new TranscriptReader(file, format, finder?.rewound()).read(fh)) out.push(...batch);
    return out;
  } finally {
    await fh.close();
  }
}

/** Summed tokens per model. */
export function tokensByModel(recs: Parsed[]): Record<string, { input: number; output: number; cache_read: number; cache_write: number }> {
  const out: Record<string, { input: number; output: number; cache_read: number; cache_write: number }> = {};
  for (const r of recs) {
    const t = r.meta.tokens;
    if (!t) continue;
    const sum = (out[r.meta.model ?? "?"] ??= { input: 0, output: 0, cache_read: 0, cache_write: 0 });
    sum.input += t.input;
    sum.output += t.output;
    sum.cache_read += t.cache_read;
    sum.cache_write += t.cache_write;
  }
  return out;
}
