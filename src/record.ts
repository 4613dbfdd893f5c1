// The record format of docs/SPEC.md: one JSON object per line of a session file.

export const RECORD_VERSION = 1;

/** One ZeroMQ frame kept losslessly: as text when it is valid UTF-8, else as base64. */
export type FrameDump = { text: string } | { base64: string };

export interface Meta {
  agent?: string;
  recipient?: string;
  ace_tier?: 1 | 2 | 3;
  chain_type?: "request" | "response" | "handoff" | "broadcast" | "error" | "system";
  shl_tags?: string[];
  chain_id?: string;
  /** Set when an enrichment rule failed: the record is kept unenriched. */
  enrich_error?: string;
  /** The fields below are those of a message read from an agent's own transcript (src/transcripts, SPEC part 2). */
  role?: "user" | "assistant" | "tool" | "system";
  /** Readable text: text blocks, tool calls as `name(args summary)`, tool results. */
  text?: string;
  /** The model's reasoning, shown dimmed and folded. */
  thinking?: string;
  model?: string;
  /** Counted once per model response: summed over a session's records they make its total. */
  tokens?: Tokens;
  tool_calls?: ToolCall[];
  source?: SourceRef;
  /** The source id of the message this one follows (a conversation is a tree: a rewind makes branches). */
  parent?: string;
  /** The subagent (Claude Code sidechain) that said it. */
  subagent?: string;
  /** A rewind removed it from the conversation. */
  rewound?: true;
  /** A tool call that failed, or an error the agent reported. */
  error?: true;
}

export interface Tokens {
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
}

export interface ToolCall {
  id?: string;
  name: string;
  /** The arguments in a few words, as shown in `Bash(git status)`. */
  summary: string;
}

/** Where a transcript message came from: the file, its line (1-based) and byte range, the source's own id. */
export interface SourceRef {
  format: "claude" | "gemini" | "codex";
  file: string;
  id?: string;
  line: number;
  offset: number;
  length: number;
  /** The source record's own type (`assistant`, `progress`, `response_item:function_call`…). */
  type: string;
}

export interface MessageRecord {
  v: 1;
  seq: number;
  ts: string;
  kind: "message";
  topic: string;
  payload?: unknown;
  frames?: FrameDump[];
  /** Set instead of payload/frames when the message exceeded --max-message-bytes. */
  oversize?: { bytes: number; frames: number; sha256: string; limit: number };
  meta: Meta;
  /** Set on records copied into a new session by "load". */
  loaded_from?: { checkpoint: string; seq: number };
}

export interface EventRecord {
  v: 1;
  seq: number;
  ts: string;
  kind: "event";
  event: string;
  [detail: string]: unknown;
}

export type SessionRecord = MessageRecord | EventRecord;

/** What a writer is given: the writer assigns `v`, `seq` and (when absent) `ts`. */
export type NewRecord =
  | (Omit<MessageRecord, "v" | "seq" | "ts"> & { ts?: string })
  | (Omit<EventRecord, "v" | "seq" | "ts"> & { ts?: string });

export function isMessage(r: SessionRecord): r is MessageRecord {
  return r.kind === "message";
}

/** ISO-8601 UTC with milliseconds, as docs/SPEC.md asks. */
export function timestamp(date = new Date()): string {
  return date.toISOString();
}

/** Parse one session line; throws a readable error when the line is not a record. */
export function parseRecordLine(line: string): SessionRecord {
  const value: unknown = JSON.parse(line);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("not a JSON object");
  }
  const rec = value as Partial<SessionRecord>;
  if (typeof rec.seq !== "number" || (rec.kind !== "message" && rec.kind !== "event")) {
    throw new Error("missing seq or kind");
  }
  return rec as SessionRecord;
}
