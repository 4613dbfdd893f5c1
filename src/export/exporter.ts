// `shearwater export`: a session, a checkpoint or the active session as Markdown, HTML or JSONL, streamed (a large
// session costs a chunk of memory), secrets redacted unless asked not to. The session files are only read. Markdown
// and HTML say "rewound" of a message a live tap's rewind event took back, as of an imported one (markedEntries.ts:
// within what is exported, so not of a checkpoint's message rewound after it); JSONL gives the lines as stored.
import { isMessage } from "../record.ts";
import { markedEntries } from "../search/markedEntries.ts";
import { readCheckpoint, sessionFileOf } from "../storage/checkpoints.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { streamEntries, type Entry } from "../storage/sessionReader.ts";
import { escapeJsonForTerminal, terminalJson } from "../text/terminalJson.ts";
import type { ExportFormat, ExportFormatName } from "./formats.ts";
import { html } from "./html.ts";
import { markdown } from "./markdown.ts";
import { Redactor, type Redactions } from "./redact.ts";

export type ExportSource = { session: string } | { checkpoint: string } | "current";

export interface ExportResult {
  title: string;
  records: number;
  messages: number;
  /** Null when redaction was turned off. */
  redactions: Redactions | null;
}

/** Where the text goes: a file or stdout, with back-pressure. */
export type Sink = (chunk: string) => Promise<void>;

const FLUSH_CHARS = 256 * 1024;
const FORMATS: Record<Exclude<ExportFormatName, "jsonl">, ExportFormat> = { md: markdown, html };

export async function exportConversation(
  logsDir: string,
  source: ExportSource,
  opts: { format: ExportFormatName; redact: boolean },
  sink: Sink,
): Promise<ExportResult> {
  const { title, file, end } = await open(logsDir, source);
  const redactor = opts.redact ? new Redactor() : null;
  const result: ExportResult = { title, records: 0, messages: 0, redactions: null };
  const format = opts.format === "jsonl" ? null : FORMATS[opts.format];
  const entries = format ? markedEntries(file, end) : streamEntries(file, { endOffset: end });
  let buffered: string[] = [];
  let size = 0;
  const put = async (text: string) => {
    buffered.push(text);
    size += text.length;
    if (size < FLUSH_CHARS) return;
    const chunk = buffered.join("");
    buffered = [];
    size = 0;
    await sink(chunk);
  };
  if (format) await put(format.head(redactor ? redactor.text(title) : title));
  for await (const e of entries) {
    result.records++;
    const rec = e.record;
    if (rec && isMessage(rec)) result.messages++;
    if (!format) await put(`${jsonLine(e, redactor)}\n`);
    else if (rec && isMessage(rec)) await put(format.message(rec, redactor));
  }
  if (format) await put(format.tail());
  await sink(buffered.join(""));
  result.redactions = redactor?.summary() ?? null;
  return result;
}

/** What to export: the session file, and where its part ends (a checkpoint's prefix; Infinity: the whole file). */
async function open(logsDir: string, source: ExportSource): Promise<{ title: string; file: string; end: number }> {
  if (source === "current") return { title: "The active session", file: logsPaths(logsDir).current, end: Infinity };
  if ("checkpoint" in source) {
    const cp = await readCheckpoint(logsDir, source.checkpoint);
    return { title: `Checkpoint ${cp.label || cp.id} (session ${cp.session})`, file: await sessionFileOf(logsDir, cp.session), end: cp.bytes };
  }
  return { title: `Session ${source.session}`, file: await sessionFileOf(logsDir, source.session), end: Infinity };
}

/**
 * The record as stored, byte for byte; a record holding a secret is written again with its strings redacted (so only
 * a record that had to change is re-encoded). Never a character a terminal acts on.
 */
function jsonLine(e: Entry, redactor: Redactor | null): string {
  if (!e.record) return terminalJson({ damaged: e.damaged, offset: e.offset, raw: redactor ? redactor.text(e.raw) : e.raw });
  return escapeJsonForTerminal(redactor ? redactor.line(e.raw, e.record) : e.raw);
}
