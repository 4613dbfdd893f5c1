// What search sees of a message: its text and the fields the query filters on. Shared by the indexer and the scan
// so both find the same messages.
import type { MessageRecord } from "../record.ts";

export interface DocFields {
  text: string;
  agent: string;
  recipient: string;
  topic: string;
  /** The payload's own `type`, when it has one. */
  type: string;
  chain: string;
  tier: number | null;
  tags: string[];
  /** Epoch milliseconds. */
  ts: number;
  /** Of a message read from an agent's transcript (else empty): tools it called, model, role, error, format. */
  tools: string[];
  model: string;
  role: string;
  error: boolean;
  /** Taken out of the conversation by a rewind, as import marks it. */
  rewound: boolean;
  source: string;
}

/** Long payloads are indexed up to this many characters: enough to find them, bounded in cost. */
const MAX_TEXT = 64 * 1024;

export function docFields(rec: MessageRecord): DocFields {
  const meta = rec.meta ?? {};
  const payload = rec.payload as Record<string, unknown> | undefined;
  const field = (...keys: string[]): string => {
    if (!payload || typeof payload !== "object") return "";
    const v = keys.map((k) => payload[k]).find((x) => typeof x === "string");
    return (v as string | undefined) ?? "";
  };
  const type = field("type");
  return {
    text: messageText(rec),
    agent: meta.agent ?? field("sender", "from", "agent", "source"),
    recipient: meta.recipient ?? field("recipient", "to"),
    topic: rec.topic ?? "",
    type: type.toLowerCase(),
    chain: meta.chain_type ?? "",
    tier: meta.ace_tier ?? null,
    tags: (meta.shl_tags ?? []).map((t) => String(t).replace(/^#/, "").toLowerCase()),
    ts: Date.parse(rec.ts),
    tools: (meta.tool_calls ?? []).map((c) => String(c.name).toLowerCase()),
    model: (meta.model ?? "").toLowerCase(),
    role: meta.role ?? "",
    error: meta.error === true,
    rewound: meta.rewound === true,
    source: meta.source?.format ?? "",
  };
}

/** Payload fields that hold what a message says; when one is present, the rest (sender, ids…) is left out. */
const TEXT_KEYS = ["text", "content", "message", "body"];

/**
 * The human text of a message: a transcript message's readable text (and thinking), else its payload's text field,
 * else the string values inside it, else its text frames.
 */
export function messageText(rec: MessageRecord): string {
  const meta = rec.meta;
  if (typeof meta?.text === "string") {
    const text = meta.thinking ? `${meta.text}\n${meta.thinking}` : meta.text;
    return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  }
  const parts: string[] = [];
  let size = 0;
  const visit = (v: unknown, depth: number): void => {
    if (size >= MAX_TEXT) return;
    if (typeof v === "string") {
      parts.push(v);
      size += v.length;
    } else if (typeof v === "number" || typeof v === "boolean") {
      parts.push(String(v));
    } else if (v && typeof v === "object" && depth < 8) {
      for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
    }
  };
  const payload = rec.payload;
  const textKey =
    payload && typeof payload === "object" && !Array.isArray(payload)
      ? TEXT_KEYS.find((k) => (payload as Record<string, unknown>)[k] !== undefined)
      : undefined;
  if (textKey) visit((payload as Record<string, unknown>)[textKey], 0);
  else if (payload !== undefined) visit(payload, 0);
  else if (rec.frames) for (const f of rec.frames) if ("text" in f) visit(f.text, 0);
  const text = parts.join("\n");
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}
