// Gemini CLI's legacy transcript: one JSON object, `{sessionId, projectHash, startTime, lastUpdated, messages: […]}`,
// rewritten whole as the conversation goes on. Each message becomes a record whose payload is that element's JSON
// text; the other fields make a first record. Its "lines" are numbered: 1 the session, 2… the messages, so a
// rewritten file with more messages adds only those beyond the ones already read (import; a live tap goes by the
// messages' ids, legacyTap.ts).
import fs from "node:fs/promises";
import { oneLineJson, PAYLOAD_JSON } from "../storage/recordJson.ts";
import { GeminiCliParser } from "./geminiCli.ts";
import { transcriptRecord, type TranscriptRecord } from "./records.ts";
import { isObj } from "./values.ts";

/** A legacy file is read whole; larger ones are refused rather than exhausting memory. */
export const LEGACY_MAX_BYTES = 256 << 20;

/** The file's records: the session's own fields (its "line" 1), then each message (2…). */
export async function legacyRecords(file: string): Promise<TranscriptRecord[]> {
  checkLegacySize(file, (await fs.stat(file)).size);
  return legacyRecordsOf(file, await fs.readFile(file, "utf8"));
}

export function checkLegacySize(file: string, size: number): void {
  if (size > LEGACY_MAX_BYTES) throw new Error(`${file}: a legacy Gemini transcript over ${LEGACY_MAX_BYTES >> 20} MiB is not read`);
}

/** The records of the file's text; a SyntaxError when it is not (or not yet wholly) JSON. */
export function legacyRecordsOf(file: string, text: string): TranscriptRecord[] {
  const value: unknown = JSON.parse(text);
  if (!isObj(value) || !Array.isArray(value.messages)) throw new Error(`${file}: not a Gemini transcript (no "messages" array)`);
  const { messages, ...session } = value;
  const parser = new GeminiCliParser({ file });
  const spans = elementSpans(text, "messages");
  const out: TranscriptRecord[] = [];
  const sessionJson = JSON.stringify(session);
  const first = { bytes: Buffer.from(sessionJson), text: sessionJson, line: 1, offset: 0 };
  const sessionRecord = transcriptRecord("gemini", parser, first);
  out.push(sessionRecord);
  let lastTs = sessionRecord.ts;
  for (const [i, span] of spans.entries()) {
    const element = text.slice(span.start, span.end);
    const line = { bytes: Buffer.from(element), text: element, line: i + 2, offset: span.byteStart };
    const rec = transcriptRecord("gemini", parser, line);
    rec.ts ??= lastTs;
    lastTs = rec.ts;
    // The element spans lines of the pretty-printed file: as a payload it must be one line.
    Object.assign(rec, { [PAYLOAD_JSON]: oneLineJson(line.bytes, element) });
    out.push(rec);
  }
  if (spans.length !== messages.length) throw new Error(`${file}: could not locate every message (${spans.length} of ${messages.length})`);
  return out;
}

interface Span {
  start: number;
  end: number;
  byteStart: number;
}

/** Where each element of the top-level array `key` is in the JSON text (the text is known to be valid JSON). */
export function elementSpans(text: string, key: string): Span[] {
  const spans: Span[] = [];
  let depth = 0;
  let inArray = false;
  let elementStart = -1;
  let lastKey: string | null = null;
  let bytes = 0;
  let counted = 0;
  const byteAt = (i: number) => {
    bytes += Buffer.byteLength(text.slice(counted, i));
    counted = i;
    return bytes;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (depth === 1 && !inArray) lastKey = JSON.parse(text.slice(i, end + 1)) as string;
      if (inArray && depth === 2 && elementStart === -1) elementStart = i;
      i = end;
      continue;
    }
    if (c === "{" || c === "[") {
      if (inArray && depth === 2 && elementStart === -1) elementStart = i;
      depth++;
      if (depth === 2 && c === "[" && lastKey === key) inArray = true;
      continue;
    }
    if (c === "}" || c === "]") {
      depth--;
      if (inArray && depth === 1) {
        if (elementStart !== -1) spans.push({ start: elementStart, end: i, byteStart: byteAt(elementStart) });
        return spans.map(trimmed(text));
      }
      continue;
    }
    if (inArray && depth === 2) {
      if (c === ",") {
        if (elementStart !== -1) spans.push({ start: elementStart, end: i, byteStart: byteAt(elementStart) });
        elementStart = -1;
      } else if (elementStart === -1 && !/\s/.test(c)) elementStart = i;
    } else if (depth === 1 && c === ",") lastKey = null;
  }
  return spans.map(trimmed(text));
}

function trimmed(text: string): (s: Span) => Span {
  return (s) => {
    let end = s.end;
    while (end > s.start && /\s/.test(text[end - 1])) end--;
    return { ...s, end };
  };
}

/** Index of the quote that closes the string opening at `i`. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j;
  }
  return text.length - 1;
}
