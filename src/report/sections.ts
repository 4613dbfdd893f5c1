// A report as the same list of charts for every format (terminal, Markdown, HTML, the TUI's pane): one bar chart
// per section, largest bars first, at most MAX_BARS of them.
import type { Report } from "./report.ts";
import { total } from "./tokens.ts";

export const MAX_BARS = 15;

export interface Bar {
  label: string;
  value: number;
  /** Shown after the value (p95 and n of a latency, the split of tokens…). */
  note?: string;
}

export interface ChartSection {
  id: string;
  title: string;
  unit: string;
  bars: Bar[];
  /** Bars left out beyond MAX_BARS. */
  more: number;
}

const pct = (rate: number) => Math.round(rate * 1000) / 10;
const counts = (o: Record<string, number>): Bar[] => Object.entries(o).map(([label, value]) => ({ label, value }));

export function reportSections(r: Report): ChartSection[] {
  const sections: [string, string, string, Bar[]][] = [
    ["agents", "Messages by agent", "messages", counts(r.messages_by_agent)],
    ["recipients", "Messages by recipient", "messages", counts(r.messages_by_recipient)],
    ["tiers", "Messages by tier", "messages", counts(r.messages_by_tier).map((b) => ({ ...b, label: /^\d$/.test(b.label) ? `tier ${b.label}` : b.label }))],
    ["chain-types", "Messages by chain type", "messages", counts(r.messages_by_chain_type)],
    ["tags", "Messages by tag", "messages", counts(r.messages_by_tag)],
    ["topics", "Messages by topic", "messages", counts(r.messages_by_topic)],
    ["hours", "Messages by hour of the day (UTC)", "messages", counts(r.messages_by_hour_of_day).map((b) => ({ ...b, label: `${b.label}:00` }))],
    ["busiest-hours", "Busiest hours", "messages", r.busiest_hours.map((h) => ({ label: h.hour, value: h.messages }))],
    ["chains", "Longest chains", "messages", r.chains.longest.map((c) => ({
      label: c.chain_id, value: c.messages, note: `${c.duration_ms} ms, ${c.handoffs} hand-offs, ${c.agents.join(" ")}`,
    }))],
    ["latency", "Reply latency p50 by pair (asker→answerer)", "ms", Object.entries(r.reply_latency_ms).map(([label, p]) => ({
      label, value: p.p50, note: `p95 ${p.p95} ms, n ${p.n}`,
    }))],
    ["errors", "Error rate by agent", "%", Object.entries(r.errors_by_agent)
      .map(([label, e]) => ({ label, value: pct(e.rate), note: `${e.errors} of ${e.messages}` }))
      .sort((a, b) => b.value - a.value)],
    ["tokens-model", "Tokens by model", "tokens", Object.entries(r.tokens_by_model).map(([label, t]) => ({
      label, value: total(t), note: `in ${t.input}, out ${t.output}, cache read ${t.cache_read}, cache write ${t.cache_write}`,
    }))],
    ["tokens-agent", "Tokens by agent", "tokens", Object.entries(r.tokens_by_agent).map(([label, t]) => ({ label, value: total(t) }))],
    // Only for conversations a rewind changed: every other report would show two empty charts.
    ...(r.rewound?.messages ? [
      ["rewound-agent", "Rewound messages by agent (counted above too)", "messages", counts(r.rewound.by_agent)],
      ["rewound-source", "Rewound messages by source", "messages", counts(r.rewound.by_source)],
    ] satisfies [string, string, string, Bar[]][] : []),
    ["cost", "Cost by model (USD)", "USD", Object.entries(r.cost_usd.by_model).map(([label, c]) => ({
      label, value: c ?? 0, ...(c === null ? { note: "no price" } : {}),
    }))],
  ];
  return sections.map(([id, title, unit, bars]) => ({ id, title, unit, bars: bars.slice(0, MAX_BARS), more: Math.max(0, bars.length - MAX_BARS) }));
}

/** The headline figures above the charts. */
export function summaryLines(r: Report): string[] {
  const c = r.chains;
  return [
    `${r.scope.what}${r.scope.sessions.length ? ` (${r.scope.sessions.length === 1 ? `session ${r.scope.sessions[0]}` : `${r.scope.sessions.length} sessions`})` : ""}` +
      `${r.scope.since ? `, since ${r.scope.since}` : ""}${r.scope.until ? `, until ${r.scope.until}` : ""}`,
    `${r.messages} messages, ${r.events} events${r.damaged_lines ? `, ${r.damaged_lines} damaged lines` : ""}${r.first_ts ? `, ${r.first_ts} … ${r.last_ts}` : ""}`,
    `chains: ${c.count} (${c.messages} messages), length p50 ${c.length.p50} / p95 ${c.length.p95} / max ${c.length.max}, ` +
      `duration p50 ${c.duration_ms.p50} ms / p95 ${c.duration_ms.p95} ms, ${c.handoffs} hand-offs`,
    `errors: ${pct(r.error_rate)}% of messages`,
    ...(r.rewound?.messages
      ? [`rewound: ${r.rewound.messages} messages taken out of the conversation by a rewind (counted in the figures; their tokens stay in tokens and cost: a rewound response was paid for)`]
      : []),
    `tokens: ${total(r.tokens_total)} (in ${r.tokens_total.input}, out ${r.tokens_total.output}, cache read ${r.tokens_total.cache_read}, ` +
      `cache write ${r.tokens_total.cache_write}); cost $${r.cost_usd.total.toFixed(2)}` +
      `${r.cost_usd.unpriced_models.length ? ` (no price for ${r.cost_usd.unpriced_models.join(", ")})` : ""}; prices: ${r.cost_usd.prices}`,
  ];
}
