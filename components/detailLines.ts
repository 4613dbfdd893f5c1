// The detail of one record as screen lines: metadata, the whole text wrapped, then the payload (or frames) as
// folding pretty JSON. Everything from the record is sanitized before it becomes a line.
import type { Entry } from "../src/storage/entry.ts";
import { isMessage } from "../src/record.ts";
import { messageText } from "../src/search/recordFields.ts";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { wrap } from "../src/text/width.ts";
import { jsonLines, type JsonLine } from "./jsonLines.ts";

export interface DetailLine {
  text: string;
  heading?: boolean;
  /** Index into `json` when this line is a line of the folding JSON. */
  json?: number;
}

export interface Detail {
  lines: DetailLine[];
  json: JsonLine[];
}

export function detailOf(entry: Entry, collapsed: ReadonlySet<string>, width: number): Detail {
  const lines: DetailLine[] = [];
  const add = (text: string, heading = false) => lines.push({ text, heading });
  const rec = entry.record;
  if (!rec) {
    add("Damaged line", true);
    add(`at byte ${entry.offset}: ${sanitizeForTerminal(entry.damaged ?? "")}`);
    for (const l of wrap(sanitizeForTerminal(entry.raw), width)) add(l);
    return { lines, json: [] };
  }
  add(`${isMessage(rec) ? "Message" : `Event ${sanitizeForTerminal(rec.event)}`} · seq ${rec.seq} · ${rec.ts}`, true);
  let body: unknown;
  if (isMessage(rec)) {
    const m = rec.meta ?? {};
    const meta: Array<[string, unknown]> = [
      ["topic", rec.topic], ["from", m.agent], ["to", m.recipient], ["tier", m.ace_tier], ["chain type", m.chain_type],
      ["tags", m.shl_tags?.join(" ")], ["chain id", m.chain_id], ["loaded from", rec.loaded_from && `${rec.loaded_from.checkpoint} seq ${rec.loaded_from.seq}`],
      ["oversize", rec.oversize && `${rec.oversize.bytes} bytes in ${rec.oversize.frames} frames, sha256 ${rec.oversize.sha256}`],
      ["enrichment error", m.enrich_error],
      ["role", m.role], ["subagent", m.subagent], ["model", m.model],
      ["tokens", m.tokens && `${m.tokens.input} in, ${m.tokens.output} out, ${m.tokens.cache_read} cache read, ${m.tokens.cache_write} cache write`],
      ["tool calls", m.tool_calls?.map((c) => `${c.name}(${c.summary})`).join(", ")],
      ["source", m.source && `${m.source.format} ${m.source.file} line ${m.source.line} (${m.source.type})`],
      ["rewound", m.rewound && "yes: a rewind took it out of the conversation"], ["error", m.error && "yes"],
    ];
    for (const [k, v] of meta) if (v !== undefined && v !== "") add(`${k}: ${sanitizeForTerminal(String(v))}`);
    add("");
    add("Text", true);
    for (const l of wrap(sanitizeForTerminal(messageText(rec), { keepNewlines: true }), width)) add(l);
    add("");
    add(rec.frames ? "Frames" : "Payload (Enter folds)", true);
    body = rec.frames ?? rec.payload;
  } else {
    const { v: _v, seq: _s, ts: _t, kind: _k, ...rest } = rec;
    body = rest;
  }
  const json = jsonLines(body, collapsed, (t) => sanitizeForTerminal(t));
  json.forEach((j, i) => lines.push({ text: `${"  ".repeat(j.depth)}${j.text}`, json: i }));
  return { lines, json };
}
