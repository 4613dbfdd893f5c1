// The rewinds a live tap recorded in what a search scans. An event comes after the messages it takes back, so a
// scan that yields each match as it finds it would have passed them already: a first, quick pass finds the events
// (a search of each block for the event's name; only those lines are parsed), then the scan marks as it matches.
// `view` and `export` make the same pass before they print (markedEntries.ts).
import { parseRecordLine } from "../record.ts";
import { RewoundMarks } from "../transcripts/rewindEvent.ts";
import { placesNamedBy, type SourcePlace } from "./indexRewinds.ts";
import { blocksOf, type ScanRange, type SourceRange } from "./scanBlocks.ts";

/** The events seen: marks to apply to the records read, and the places they named. */
export interface RewindsSeen {
  marks: RewoundMarks;
  places: SourcePlace[];
}

const NEEDLE = Buffer.from('"transcript_rewound"');
const NL = 0x0a;

export async function rewindsIn(ranges: Array<ScanRange | SourceRange>, signal?: AbortSignal): Promise<RewindsSeen> {
  const seen: RewindsSeen = { marks: new RewoundMarks(), places: [] };
  for (const range of ranges) {
    for await (const { block } of blocksOf(range, signal)) {
      for (let i = block.indexOf(NEEDLE); i !== -1; i = block.indexOf(NEEDLE, i + 1)) {
        const start = block.lastIndexOf(NL, i) + 1;
        let end = block.indexOf(NL, i);
        if (end === -1) end = block.length;
        let rec;
        try {
          rec = parseRecordLine(block.toString("utf8", start, end));
        } catch {
          continue; // a damaged line, or a message quoting the name
        }
        if (seen.marks.see(rec)) seen.places.push(...placesNamedBy(rec));
        i = end;
      }
    }
  }
  return seen;
}
