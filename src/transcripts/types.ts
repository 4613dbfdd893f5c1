// What the transcript parsers share: the formats, the topics their records get, and the shape of one parsed line.
import type { Meta, SourceRef } from "../record.ts";

export type TranscriptFormat = SourceRef["format"];
export const FORMATS: readonly TranscriptFormat[] = ["claude", "gemini", "codex"];

/** The topic (and agent) of a format's records, as SPEC part 2 names the sources. */
export const SOURCE_TOPICS: Record<TranscriptFormat, string> = { claude: "claude_code", gemini: "gemini_cli", codex: "codex_cli" };

/** One complete line of a transcript file: its bytes (without the newline), decoded text and place. */
export interface SourceLine {
  bytes: Buffer;
  text: string;
  /** 1-based. */
  line: number;
  offset: number;
}

/** What a parser makes of one line: the meta of its record and the source's own time, when it has one. */
export interface Reading {
  meta: TranscriptMeta;
  ts?: string;
}

export type TranscriptMeta = Meta & Required<Pick<Meta, "agent" | "role" | "text" | "source">>;

/** A parser reads the lines of one file in order; it keeps what later lines need (tool names, tokens counted). */
export interface LineParser {
  /** `value` is the line's JSON value (the caller parsed it). */
  read(line: SourceLine, value: unknown): Reading;
}

/** Where a record came from: the file, the line's number and bytes, the source's type and id for it. */
export function sourceRef(format: TranscriptFormat, file: string, line: SourceLine, type: string, id: string | undefined): SourceRef {
  const ref: SourceRef = { format, file, line: line.line, offset: line.offset, length: line.bytes.length, type };
  if (id) ref.id = id;
  return ref;
}
