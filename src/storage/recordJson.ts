// A record's JSON text as it goes into a session line. A new message record may carry its payload's JSON text as
// received, as UTF-8 bytes (`[PAYLOAD_JSON]`, next to the parsed `payload`): those bytes are copied into the line
// as they are, which saves serializing the payload again and keeps it exactly as sent (big integers included). The
// writer's records do not keep them.

import type { NewRecord, SessionRecord } from "../record.ts";

/**
 * The payload's original JSON text in UTF-8. The caller guarantees that it is valid JSON whose value is `payload`, on
 * one line: no CR or LF byte (`oneLineJson` makes it so).
 */
export const PAYLOAD_JSON: unique symbol = Symbol("payload JSON text");

/** What the session writer appends. */
export type AppendRecord = NewRecord & { [PAYLOAD_JSON]?: Uint8Array };

/**
 * A record's line without `\n`: `json`, then the payload's bytes and a closing brace when there are some. The
 * payload is kept apart so that it is copied into the batch as is, without building the whole line as one string.
 */
export interface LineText {
  json: string;
  payloadJson?: Uint8Array;
}

/** `record` holds `v` and `seq` first; `payloadJson`, when given, is the JSON text of its `payload` and goes in instead. */
export function lineText(rec: object, payloadJson?: Uint8Array): LineText {
  if (payloadJson === undefined) return { json: JSON.stringify(rec) };
  const record = rec as { payload?: unknown };
  const payload = record.payload;
  record.payload = undefined; // left out by JSON.stringify
  const json = JSON.stringify(record);
  record.payload = payload;
  return { json: `${json.slice(0, -1)},"payload":`, payloadJson };
}

const LINE_BREAKS = /[\r\n]/g;

/**
 * JSON text as bytes on one line: outside strings JSON text is free to hold line breaks, and only there (inside they
 * are escaped), so as whitespace they become spaces. `text` is `bytes` decoded; most texts have none and are kept.
 */
export function oneLineJson(bytes: Uint8Array, text: string): Uint8Array {
  return text.includes("\n") || text.includes("\r") ? Buffer.from(text.replace(LINE_BREAKS, " ")) : bytes;
}

/** The bytes the line takes in the file, its newline included (the seq digits aside). */
export function lineBytes(line: LineText): number {
  return Buffer.byteLength(line.json) + (line.payloadJson ? line.payloadJson.byteLength + 1 : 0) + 1;
}

/** A record as the writer numbers it: `v` and `seq` first (seq is filled in when it enters a batch). */
export type NumberedRecord = SessionRecord & { v: 1; seq: number };

/**
 * The record an append becomes, and its line. `v`, `seq`, `ts` and `kind` lead every line (PrefixDigest and
 * recovery rely on it); the payload's text as received goes into the line only, not into the record kept.
 */
export function recordLine(rec: AppendRecord, now: () => string): { record: NumberedRecord; line: LineText } {
  const payloadJson = rec[PAYLOAD_JSON];
  const record = Object.assign({ v: 1, seq: 0, ts: rec.ts, kind: rec.kind }, rec, { [PAYLOAD_JSON]: undefined }) as NumberedRecord;
  record.ts ??= now();
  return { record, line: lineText(record, payloadJson) };
}
