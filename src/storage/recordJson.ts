// A record's JSON text as it goes into a session line. A message may carry its payload's JSON text as received
// (`[PAYLOAD_JSON]`, next to the parsed `payload`): that text is written as is, which saves serializing the payload
// again and keeps it exactly as sent (big integers included).

/** The payload's original JSON text; the caller guarantees it is valid JSON whose value is `payload`. */
export const PAYLOAD_JSON: unique symbol = Symbol("payload JSON text");

const LINE_BREAKS = /[\r\n]/g;

/** `record` holds `v` and `seq` first; its own `payload` is left out when the original text goes in instead. */
export function recordJson(rec: object): string {
  const record = rec as { payload?: unknown; [PAYLOAD_JSON]?: string };
  const raw = record[PAYLOAD_JSON];
  if (raw === undefined) return JSON.stringify(record);
  const payload = record.payload;
  record.payload = undefined; // left out by JSON.stringify
  const json = JSON.stringify(record);
  record.payload = payload;
  // Outside strings JSON text is free to hold line breaks, and only there (inside they are escaped): one line per record.
  const text = raw.includes("\n") || raw.includes("\r") ? raw.replace(LINE_BREAKS, " ") : raw;
  return `${json.slice(0, -1)},"payload":${text}}`;
}
