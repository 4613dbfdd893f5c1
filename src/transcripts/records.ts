// One transcript line → one message record: `topic` names the source, `payload` is the line unchanged (its bytes go
// into the session line as they are, through PAYLOAD_JSON), `meta` is what the format's parser read. A line that is
// not JSON is kept too, as a text frame.
import type { MessageRecord } from "../record.ts";
import { oneLineJson, PAYLOAD_JSON } from "../storage/recordJson.ts";
import { SOURCE_TOPICS, type LineParser, type SourceLine, type TranscriptFormat, type TranscriptMeta } from "./types.ts";

/** A message record read from a transcript, before a writer numbers it. */
export type TranscriptRecord = Omit<MessageRecord, "v" | "seq" | "ts" | "meta"> & {
  ts?: string;
  meta: TranscriptMeta;
  [PAYLOAD_JSON]?: Uint8Array;
};

const BOM = "\ufeff";
const CANONICAL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export function transcriptRecord(format: TranscriptFormat, parser: LineParser, line: SourceLine): TranscriptRecord {
  const topic = SOURCE_TOPICS[format];
  let text = line.text;
  let bytes = line.bytes;
  if (text.startsWith(BOM) || text.endsWith("\r")) {
    // JSON.parse refuses a byte-order mark; a CRLF file's \r is whitespace but must not reach the session line.
    text = text.replace(/^\ufeff/, "").replace(/\r$/, "");
    bytes = Buffer.from(text);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const { meta } = parser.read(line, undefined);
    meta.text = `unreadable line: ${(err as Error).message}`;
    meta.error = true;
    return { kind: "message", topic, frames: [{ text: line.text }], meta };
  }
  const { meta, ts } = parser.read(line, value);
  const time = isoTime(ts);
  return { kind: "message", topic, payload: value, meta, ...(time ? { ts: time } : {}), [PAYLOAD_JSON]: oneLineJson(bytes, text) };
}

/** The source's own time in the record format's shape (UTC, milliseconds); undefined when it is not a time. */
function isoTime(ts: string | undefined): string | undefined {
  if (ts === undefined || CANONICAL_TIME.test(ts)) return ts; // the agents' own times are mostly in this form already
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
