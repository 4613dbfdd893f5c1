// What an export shows of a message, format aside: who said it, in what role, when, its text, and the parts shown
// folded (thinking, tool output). Transcript records carry their readable text in meta.text; a broker message's text
// is its payload's text field, else its payload as JSON.
import type { MessageRecord } from "../record.ts";
import type { Redactor } from "./redact.ts";

export interface MessageView {
  who: string;
  role: string;
  time: string;
  text: string;
  thinking?: string;
  /** A tool's output: shown folded under its first line. */
  toolResult: boolean;
  notes: string[];
}

const TEXT_FIELDS = ["text", "content", "message", "body"];
const JSON_MAX = 20_000;

export function messageView(rec: MessageRecord, redactor: Redactor | null): MessageView {
  const m = rec.meta ?? {};
  const clean = (s: string) => (redactor ? redactor.text(s) : s);
  const who = `${m.agent ?? (rec.topic || "unknown")}${m.subagent ? ` / ${m.subagent}` : ""}${m.recipient ? ` → ${m.recipient}` : ""}`;
  const notes = [
    m.model,
    m.tokens && `${m.tokens.input} in · ${m.tokens.output} out${m.tokens.cache_read ? ` · ${m.tokens.cache_read} cached` : ""}`,
    m.rewound && "rewound",
    m.error && "error",
    m.chain_type,
    ...(m.shl_tags ?? []),
  ].filter((n): n is string => typeof n === "string" && n !== "");
  return {
    who,
    role: m.role ?? (m.chain_type === "system" ? "system" : "message"),
    time: rec.ts,
    text: clean(typeof m.text === "string" ? m.text : plainText(rec)),
    ...(m.thinking ? { thinking: clean(m.thinking) } : {}),
    toolResult: m.role === "tool",
    notes,
  };
}

function plainText(rec: MessageRecord): string {
  if (rec.oversize) return `[oversize message: ${rec.oversize.bytes} bytes]`;
  const p = rec.payload;
  if (typeof p === "string") return p;
  if (p && typeof p === "object" && !Array.isArray(p)) {
    for (const k of TEXT_FIELDS) {
      const v = (p as Record<string, unknown>)[k];
      if (typeof v === "string") return v;
    }
  }
  if (p !== undefined) return (JSON.stringify(p) ?? "").slice(0, JSON_MAX);
  return (rec.frames ?? []).map((f) => ("text" in f ? f.text : "[binary frame]")).join("\n");
}
