// Screen text for records: one-line rows for the message list, human sizes and times.
// Every string that comes from a message passes through sanitizeForTerminal before it can reach the screen.
import type { Entry } from "../src/storage/entry.ts";
import { isMessage } from "../src/record.ts";
import { sanitizeForTerminal, snippetOf } from "../src/text/sanitize.ts";
import { isAside, speakerOf } from "../src/text/speaker.ts";

export interface RowText {
  time: string;
  /** Sender → recipient (a transcript message's role too). */
  who: string;
  /** `T1`…`T3`, or empty. */
  tierLabel: string;
  /** The chain type (request, response, …), or empty. */
  type: string;
  /** The SHL tags, `#` first. */
  tags: string;
  text: string;
  /** Events and damaged lines are drawn dimmed. */
  dim: boolean;
  tier?: 1 | 2 | 3;
}

export function rowOf(entry: Entry): RowText {
  const rec = entry.record;
  const none = { tierLabel: "", type: "", tags: "" };
  if (!rec) return { time: "", who: "⚠ damaged line", ...none, text: sanitizeForTerminal(entry.damaged ?? ""), dim: true };
  const time = timeOf(rec.ts);
  if (!isMessage(rec)) return { time, who: "— event", ...none, text: snippetOf(rec), dim: true };
  const m = rec.meta ?? {};
  // A transcript's message has a role and no chain type: the type column says the role, and who said it keeps the
  // width it needs (at 80 columns "claude_code · assistant" would be cut beside an empty type column).
  const roleAsType = !m.chain_type && typeof m.role === "string";
  const who = sanitizeForTerminal(speakerOf(rec, { withRole: !roleAsType }));
  const tags = sanitizeForTerminal((m.shl_tags ?? []).map((t) => (t.startsWith("#") ? t : `#${t}`)).join(" "));
  const tierLabel = m.ace_tier ? `T${m.ace_tier}` : "";
  const type = sanitizeForTerminal((roleAsType ? m.role : m.chain_type) ?? "");
  return { time, who, tierLabel, type, tags, text: snippetOf(rec), dim: isAside(rec), tier: m.ace_tier };
}

/** `10:00:01` from an ISO time (UTC, as recorded). */
export function timeOf(ts: string): string {
  return typeof ts === "string" ? ts.slice(11, 19) : "";
}

/** `2025-11-30 10:00` from an ISO time. */
export function minuteOf(ts: string): string {
  return typeof ts === "string" ? `${ts.slice(0, 10)} ${ts.slice(11, 16)}` : "";
}

/** `1234567` → `1,234,567`, as toLocaleString("en-US") writes a count, without its cost on every frame (ICU's
 * number formatting took some 2 ms a call, and the message viewer's header calls it on every frame). */
export function countText(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function bytesText(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)}KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(2)}MB`;
  return `${(n / 1024 ** 3).toFixed(2)}GB`;
}

export function durationText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** A one-line bar graph of counts (the message rate of the last minutes). */
export function sparkline(values: number[], width: number): string {
  const bars = " ▁▂▃▄▅▆▇█";
  if (values.length === 0 || width <= 0) return "";
  const per = Math.max(1, Math.ceil(values.length / width));
  const buckets: number[] = [];
  for (let i = 0; i < values.length; i += per) buckets.push(values.slice(i, i + per).reduce((a, b) => a + b, 0));
  const max = Math.max(...buckets, 1);
  return buckets.map((v) => bars[v === 0 ? 0 : Math.max(1, Math.round((v / max) * 8))]).join("");
}
