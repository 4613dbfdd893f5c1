// A session's lines as `view` and `export` show them: each message a live tap's rewind event named is marked
// rewound as an imported transcript's rewound message is (meta.rewound on the parsed record, which speakerOf, isAside
// and the export formats read; the stored line is left as it is). An event comes after the messages it takes back,
// so before the lines are handed out the search's first pass (scanRewinds.ts) reads the same bytes, through the
// reader's own source (plain, compressed or encrypted), for the events: a search of each block for the event's name.
// Only events within the bytes shown count: a checkpoint is the conversation as it was at its end, not rewound yet
// by an event recorded after it; a tail's pass covers from its first line to the end.
import type { ByteSource } from "../storage/byteSource.ts";
import type { Entry } from "../storage/entry.ts";
import { scanLineBatches } from "../storage/lineScanner.ts";
import { openSessionSource } from "../storage/sessionSource.ts";
import { rewindsIn } from "./scanRewinds.ts";

/** The complete lines of bytes [0, to) of a session file (by default to its end as it is while reading), marked. */
export async function* markedEntries(file: string, to = Infinity): AsyncGenerator<Entry> {
  const source = await openSessionSource(file);
  try {
    const { marks } = await rewindsIn([{ source, from: 0, to }]);
    for await (const batch of scanLineBatches(source, { from: 0, to, firstIndex: 0 })) {
      for (const e of batch) {
        marks.mark(e.record);
        yield e;
      }
    }
  } finally {
    await source.close();
  }
}

/** Marks the lines a reader read from `source` (a tail, oldest first) by the events from the first of them to `to`. */
export async function markLines(source: ByteSource, lines: Entry[], to = Infinity): Promise<void> {
  if (lines.length === 0) return;
  const { marks } = await rewindsIn([{ source, from: lines[0].offset, to }]);
  for (const e of lines) marks.mark(e.record);
}
