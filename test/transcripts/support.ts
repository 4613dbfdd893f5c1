// Reading the small transcripts of test/fixtures/transcripts the way import does: rewinds first, then records.
import fs from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { TranscriptRecord } from "../../src/transcripts/records.ts";
import { rewoundLines, TranscriptReader } from "../../src/transcripts/transcriptReader.ts";
import type { TranscriptFormat } from "../../src/transcripts/types.ts";

export const FIXTURES = fileURLToPath(new URL("../fixtures/transcripts/", import.meta.url));
export const fixture = (name: string) => FIXTURES + name;

export type Parsed = TranscriptRecord;

export async function readAll(file: string, format: TranscriptFormat): Promise<Parsed[]> {
  const fh = await fs.open(file, "r");
  try {
    const reader = new TranscriptReader(file, format, await rewoundLines(fh, format));
    const out: TranscriptRecord[] = [];
    for await (const batch of reader.read(fh)) out.push(...batch);
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
