// Message text is untrusted: printed raw, an escape sequence in it could recolour, move the cursor, retitle or
// rewrite the user's terminal. These helpers turn every control character into a visible, inert stand-in.
import type { SessionRecord } from "../record.ts";

/** Beyond C0 controls: DEL, C1 controls, the bidirectional controls that can reorder what a line appears to say
 * (embeddings, overrides, isolates and the marks LRM, RLM, ALM), and the Unicode line and paragraph separators. */
export const UNSAFE_BEYOND_C0 = String.raw`\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069`;
const UNSAFE = new RegExp(String.raw`[\u0000-\u001f${UNSAFE_BEYOND_C0}]`, "g");
const UNSAFE_OR_NOT_NEWLINE = new RegExp(String.raw`[\u0000-\u0009\u000b-\u001f${UNSAFE_BEYOND_C0}]`, "g");

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // Unicode control pictures: ␛ ␇ ␍ ␤ …
  if (code === 0x7f) return "␡";
  return code <= 0xff ? `\\x${code.toString(16)}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * The text with control characters made visible: ESC becomes `␛` (so `\x1b[31m` shows as `␛[31m`), other C0
 * controls their control pictures, the rest of UNSAFE_BEYOND_C0 escapes such as `\x9b` / `\u202e`. With
 * `keepNewlines`, `\n` stays (for views that wrap multi-line text themselves). Idempotent.
 */
export function sanitizeForTerminal(text: string, opts: { keepNewlines?: boolean } = {}): string {
  const pattern = opts.keepNewlines ? UNSAFE_OR_NOT_NEWLINE : UNSAFE;
  pattern.lastIndex = 0;
  return pattern.test(text) ? text.replace(pattern, visible) : text;
}

/** Lines for a terminal, each made safe (a newline inside one shows as ␊) and ended with a newline. */
export function terminalLines(lines: string[]): string {
  return lines.map((line) => `${sanitizeForTerminal(line)}\n`).join("");
}

/** Payload fields that hold what a message says, in order of preference. */
const TEXT_FIELDS = ["text", "content", "message", "body"];
const SNIPPET_MAX = 1000;

/**
 * One line of text saying what a record is, already safe for a terminal: a transcript message's readable text, a
 * message's payload text/content/message/
 * body field (looked for one level down too), else its payload as compact JSON, else its frames; an event's name and
 * details. Whitespace runs (newlines included) become one space; long texts are cut with `…`.
 */
export function snippetOf(record: SessionRecord, max = SNIPPET_MAX): string {
  const text = record.kind === "message" ? messageSnippet(record) : eventSnippet(record);
  const line = text.replace(/\s{2,}|[^\S ]/g, " ").trim(); // single spaces, the common case, are left as they are
  return sanitizeForTerminal(line.length > max ? `${line.slice(0, max - 1)}…` : line);
}

function messageSnippet(rec: SessionRecord & { kind: "message" }): string {
  const m = rec.meta;
  if (typeof m?.text === "string") {
    // Read from an agent's transcript: its readable text (tool calls as Bash(git status)), never the raw line.
    return m.text || (m.thinking ? `(thinking) ${m.thinking}` : `[${m.source?.type ?? "empty"}]`);
  }
  if (rec.oversize) return `[oversize message: ${rec.oversize.bytes} bytes in ${rec.oversize.frames} frames]`;
  if (rec.payload !== undefined) return textField(rec.payload, 2) ?? compactJson(rec.payload);
  if (rec.frames) {
    return rec.frames.map((f) => ("text" in f ? f.text : `[${Buffer.byteLength(f.base64, "base64")} bytes binary]`)).join(" | ");
  }
  return "";
}

function textField(value: unknown, depth: number): string | undefined {
  if (typeof value === "string") return value;
  if (depth === 0 || !value || typeof value !== "object" || Array.isArray(value)) return undefined;
  for (const key of TEXT_FIELDS) {
    const found = textField((value as Record<string, unknown>)[key], depth - 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function eventSnippet(rec: SessionRecord & { kind: "event" }): string {
  const { v: _v, seq: _s, ts: _t, kind: _k, event, ...details } = rec;
  return Object.keys(details).length > 0 ? `${event} ${compactJson(details)}` : event;
}

function compactJson(value: unknown): string {
  // Payloads can be large: stringify at most what a snippet can show.
  const json = JSON.stringify(value) ?? String(value);
  return json.length > SNIPPET_MAX * 4 ? json.slice(0, SNIPPET_MAX * 4) : json;
}
