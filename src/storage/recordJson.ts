// A record's JSON text as it goes into a session line. A new message record may carry its payload's JSON text as
// received (`[PAYLOAD_JSON]`, next to the parsed `payload`): that text is written as is, which saves serializing the
// payload again and keeps it exactly as sent (big integers included). The writer's records do not keep it.

import type { NewRecord } from "../record.ts";

/** The payload's original JSON text; the caller guarantees it is valid JSON whose value is `payload`. */
export const PAYLOAD_JSON: unique symbol = Symbol("payload JSON text");

/** What the session writer appends. */
export type AppendRecord = NewRecord & { [PAYLOAD_JSON]?: string };

const LINE_BREAKS = /[\r\n]/g;

/**
 * A record's line without `\n`: `json`, then `payloadJson` and a closing brace when there is one. The payload's text
 * is kept apart so that it is copied into the batch as is, without building the whole line as one string first.
 */
export interface LineText {
  json: string;
  payloadJson?: string;
}

/** `record` holds `v` and `seq` first; `payloadJson`, when given, is the JSON text of its `payload` and goes in instead. */
export function lineText(rec: object, payloadJson?: string): LineText {
  if (payloadJson === undefined) return { json: JSON.stringify(rec) };
  const record = rec as { payload?: unknown };
  const payload = record.payload;
  record.payload = undefined; // left out by JSON.stringify
  const json = JSON.stringify(record);
  record.payload = payload;
  // Outside strings JSON text is free to hold line breaks, and only there (inside they are escaped): one line per record.
  const text = payloadJson.includes("\n") || payloadJson.includes("\r") ? payloadJson.replace(LINE_BREAKS, " ") : payloadJson;
  return { json: `${json.slice(0, -1)},"payload":`, payloadJson: text };
}

/** UTF-16 units in the line (the backlog's measure). */
export function textLength(line: LineText): number {
  return line.json.length + (line.payloadJson?.length ?? 0);
}
