// The search of what the index does not cover yet (or all of it when there is no index): a streaming scan of the
// session files that yields each match as soon as it is found. Like ripgrep it searches large blocks of text for
// a piece of the query and looks only at the lines around what it finds, so most lines are never split out or
// parsed; that keeps it at disk speed, which a line-by-line reader (streamEntries) cannot reach.
import { isMessage, parseRecordLine, type MessageRecord } from "../record.ts";
import type { RewoundMarks } from "../transcripts/rewindEvent.ts";
import { Matcher } from "./matcher.ts";
import { lineLocator, linePrefilter, type Locator } from "./prefilter.ts";
import { foldTerm } from "./terms.ts";
import { docFields, type DocFields } from "./recordFields.ts";
import type { RewindsSeen } from "./scanRewinds.ts";
import { blocksOf, type ScanRange } from "./scanBlocks.ts";

export type { ScanRange };

export interface ScanHit {
  session: string;
  /** Byte offset and length (without the newline) of the record's line. */
  offset: number;
  length: number;
  record: MessageRecord;
  fields: DocFields;
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Bytes scanned so far, after every block. */
  onProgress?: (bytesScanned: number) => void;
}

const NL = 0x0a;

/**
 * The matches of the ranges, in file order. `rewinds` (scanRewinds.ts) marks the messages a tap's rewind event named
 * before they are matched; when it names some, `has:` is decided on the parsed record only, as such a message's line
 * does not say it.
 */
export async function* scanRanges(ranges: ScanRange[], matcher: Matcher, opts: ScanOptions = {}, rewinds?: RewindsSeen): AsyncGenerator<ScanHit> {
  const q = matcher.query;
  const raw = rewinds && rewinds.places.length > 0 && q.filters.has.length > 0 ? new Matcher({ ...q, filters: { ...q.filters, has: [] } }) : matcher;
  const locator = lineLocator(raw);
  const prefilter = linePrefilter(raw);
  let scanned = 0;
  for (const range of ranges) {
    for await (const { block, at } of blocksOf(range, opts.signal)) {
      for (const hit of matchesIn(block, at, locator, prefilter, matcher, rewinds?.marks)) {
        yield { session: range.session, ...hit };
        if (opts.signal?.aborted) return;
      }
      scanned += block.length;
      opts.onProgress?.(scanned);
    }
  }
}

type BlockHit = Omit<ScanHit, "session">;

function* matchesIn(
  block: Buffer,
  blockOffset: number,
  locator: Locator | null,
  prefilter: (line: string) => boolean,
  matcher: Matcher,
  marks: RewoundMarks | undefined,
): Generator<BlockHit> {
  const lineAt = (start: number): BlockHit | null => {
    let end = block.indexOf(NL, start);
    if (end === -1) end = block.length;
    const line = block.toString("utf8", start, end);
    if (!prefilter(line)) return null;
    let record;
    try {
      record = parseRecordLine(line);
    } catch {
      return null; // a damaged line holds no message
    }
    if (!isMessage(record)) return null;
    marks?.mark(record);
    const fields = docFields(record);
    if (!matcher.matches(fields)) return null;
    return { offset: blockOffset + start, length: end - start, record, fields };
  };
  if (!locator) {
    for (let start = 0; start < block.length; start = block.indexOf(NL, start) + 1 || block.length) {
      const hit = lineAt(start);
      if (hit) yield hit;
    }
    return;
  }
  for (const start of candidateLines(block, locator)) {
    const hit = lineAt(start);
    if (hit) yield hit;
  }
}

/** Starts of the lines holding a needle (whose surrounding word passes `verify`), in order, each once. */
function candidateLines(block: Buffer, { needles, verify }: Locator): number[] {
  const starts = new Set<number>();
  for (const needle of needles) {
    let lineStart = -1;
    let lineEnd = -1; // the line of the last place found, so its ends are looked up once
    for (let i = block.indexOf(needle); i !== -1; i = block.indexOf(needle, i + 1)) {
      if (i >= lineEnd) {
        lineStart = block.lastIndexOf(NL, i - 1) + 1;
        lineEnd = block.indexOf(NL, i);
        if (lineEnd === -1) lineEnd = block.length;
      }
      if (starts.has(lineStart) || !verify || verify(wordAround(block, i, needle.length))) {
        starts.add(lineStart);
        i = lineEnd; // this line is a candidate: on to the next one
      }
    }
  }
  return [...starts].sort((a, b) => a - b);
}

/** The word of the raw text that contains bytes [at, at + length). */
function wordAround(block: Buffer, at: number, length: number): string {
  let start = at;
  let end = at + length;
  while (start > 0 && isWordByte(block[start - 1])) start--;
  while (end < block.length && isWordByte(block[end])) end++;
  // In JSON, "\nword" is a backslash, the letter of the escape, then the word.
  if (start > 0 && block[start - 1] === 0x5c) start += block[start] === 0x75 ? 5 : 1;
  return start < end ? foldTerm(block.toString("utf8", start, end)) : "";
}

/** ASCII letters and digits, and any byte of a multi-byte character (the matcher decides about those). */
function isWordByte(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128;
}
