// Readable text for transcript records: tool calls as `Bash(git status)`, long texts cut, values made strings.

/** meta.text is for reading and searching; the payload keeps everything, so a long tool output is cut here. */
export const TEXT_MAX = 16_000;
/** A tool's output (a file read, a command's output) says what it is in its first lines; the payload keeps it all. */
export const OUTPUT_MAX = 2_000;
const SUMMARY_MAX = 80;
/** Arguments that say best what a call does, in order of preference. */
const TELLING_ARGS = ["command", "cmd", "file_path", "path", "pattern", "url", "query", "description", "prompt", "skill"];

export function clip(text: string, max = TEXT_MAX): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A call's arguments in a few words: its most telling argument, else compact JSON; one line, cut. */
export function argsSummary(input: unknown): string {
  const args = typeof input === "string" ? parsedOr(input) : input;
  let summary: string;
  if (args && typeof args === "object" && !Array.isArray(args)) {
    const record = args as Record<string, unknown>;
    const key = TELLING_ARGS.find((k) => record[k] !== undefined && record[k] !== "");
    summary = key === undefined ? compact(record) : stringOf(record[key]);
  } else {
    summary = stringOf(args);
  }
  return clip(summary.replace(/\s+/g, " ").trim(), SUMMARY_MAX);
}

export function callText(name: string, summary: string): string {
  return `${name}(${summary})`;
}

/** A tool result as text: `Bash → output`, the output cut. */
export function resultText(name: string, output: string): string {
  return `${name} → ${clip(output, OUTPUT_MAX)}`;
}

/** A value as text: strings as they are, arrays (a command's argv) joined by spaces, the rest as JSON. */
export function stringOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(" ");
  return compact(value);
}

/** Text blocks, strings and `{text}` objects of a content value, joined by blank lines. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((b) => (typeof b === "string" ? b : b && typeof b === "object" && typeof (b as { text?: unknown }).text === "string" ? (b as { text: string }).text : ""))
    .filter((t) => t !== "")
    .join("\n\n");
}

export function joinParts(parts: (string | undefined)[]): string {
  return clip(parts.filter((p): p is string => p !== undefined && p.trim() !== "").join("\n"));
}

function parsedOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function compact(value: unknown): string {
  return clip(JSON.stringify(value) ?? "", SUMMARY_MAX * 2);
}
