// The detail of one record as screen lines: metadata, the whole text wrapped, then the payload (or frames) as
// folding pretty JSON. A transcript message's thinking and a tool's result are long and rarely read, so each starts
// folded to one dimmed line that Enter opens. Everything from the record is sanitized before it becomes a line.
import type { Entry } from "../src/storage/entry.ts";
import { isMessage } from "../src/record.ts";
import { messageText } from "../src/search/recordFields.ts";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { wrap } from "../src/text/width.ts";
import { jsonLines, toggledOne, toggleFold, type JsonLine } from "./jsonLines.ts";

export interface DetailLine {
  text: string;
  heading?: boolean;
  dim?: boolean;
  /** Index into `json` when this line is a line of the folding JSON. */
  json?: number;
  /** The folded section (thinking, a tool result) this line heads or belongs to. */
  section?: string;
}

/** Section keys: they cannot clash with JSON paths, which are empty or start with `/`. */
const THINKING = "#thinking";
const TOOL_RESULT = "#tool result";
/** The toggles that open every section and leave all JSON open: the whole record, as the pager shows it. */
export const ALL_OPEN: ReadonlySet<string> = new Set([THINKING, TOOL_RESULT]);

export interface Detail {
  lines: DetailLine[];
  json: JsonLine[];
}

/**
 * `toggled` holds what Enter has changed from the defaults: JSON paths (open until toggled, then folded) and
 * section keys (folded until toggled, then open).
 */
export function detailOf(entry: Entry, toggled: ReadonlySet<string>, width: number): Detail {
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
    const wrapped = (text: string) => wrap(sanitizeForTerminal(text, { keepNewlines: true }), width);
    if (typeof m.text !== "string") for (const l of wrapped(messageText(rec))) add(l);
    else {
      if (m.thinking) lines.push(...section(THINKING, "thinking", wrapped(m.thinking), toggled));
      if (m.role === "tool") lines.push(...section(TOOL_RESULT, "tool result", wrapped(m.text), toggled));
      else for (const l of wrapped(m.text)) add(l);
    }
    add("");
    add(rec.frames ? "Frames" : "Payload (Enter folds)", true);
    body = rec.frames ?? rec.payload;
  } else {
    const { v: _v, seq: _s, ts: _t, kind: _k, ...rest } = rec;
    body = rest;
  }
  const json = jsonLines(body, toggled, (t) => sanitizeForTerminal(t));
  json.forEach((j, i) => lines.push({ text: `${"  ".repeat(j.depth)}${j.text}`, json: i }));
  return { lines, json };
}

/** A folded section is one dimmed line saying how many lines it opens to; open, its lines follow that line. */
function section(key: string, title: string, body: string[], toggled: ReadonlySet<string>): DetailLine[] {
  const open = toggled.has(key);
  const head = { text: `${open ? "▾" : "▸"} ${title} (${body.length} ${body.length === 1 ? "line" : "lines"})`, dim: true, section: key };
  return open ? [head, ...body.map((text) => ({ text, dim: true, section: key }))] : [head];
}

/** The toggles after Enter on line `at`: a section folds or opens whole, a JSON line folds the object it is in. */
export function toggledAt(detail: Detail, at: number, toggled: ReadonlySet<string>): Set<string> | undefined {
  const line = detail.lines[at];
  if (line?.section !== undefined) return toggledOne(toggled, line.section);
  if (line?.json !== undefined) return toggleFold(detail.json, line.json, toggled);
  return undefined;
}
