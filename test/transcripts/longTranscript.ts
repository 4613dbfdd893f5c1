// A long Claude Code transcript made from the s1 fixture: its lines again and again, ids made unique per copy, a
// large tool output every few lines as real transcripts have (file reads, command output). For the import
// benchmark and for tests that need an import to take a while.
import fs from "node:fs/promises";
import { fixture } from "./support.ts";

const OUTPUT = "src/app.ts:12: const value = compute(input); // the line a search found\n".repeat(48);

/** Writes about `size` bytes of whole lines to `file`; returns the bytes written. */
export async function writeLongTranscript(file: string, size: number): Promise<number> {
  // Without its rewound branch: rewinds are rare (none in the real transcripts of the conformance run).
  const lines = (await fs.readFile(fixture("claude/s1.jsonl"), "utf8")).trimEnd().split("\n").filter((l) => !/"uuid":"r[12]"/.test(l));
  const fh = await fs.open(file, "w");
  let written = 0;
  try {
    for (let copy = 0; written < size; copy++) {
      const chunk = lines
        .map((l) => l.replace(/"(uuid|parentUuid|leafUuid|id|tool_use_id)":"([^"]+)"/g, `"$1":"$2-${copy}"`))
        .map((l) => (l.includes('"tool_result"') ? l.replace(/"content":"[^"]*"/, `"content":${JSON.stringify(OUTPUT)}`) : l))
        .join("\n") + "\n";
      await fh.write(chunk);
      written += Buffer.byteLength(chunk);
    }
  } finally {
    await fh.close();
  }
  return written;
}
