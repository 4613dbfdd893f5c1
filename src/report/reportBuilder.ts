// One pass over a conversation's lines → a Report. Everything kept is bounded (counters, samples, open chains,
// remembered requests), so a report over a million messages costs the same memory as one over a thousand.
import { DEFAULT_RULES } from "../recorder/defaultRules.ts";
import { firstValue } from "../recorder/enrich.ts";
import type { MessageRecord } from "../record.ts";
import type { Entry } from "../storage/entry.ts";
import { ChainTracker } from "./chains.ts";
import { Counter } from "./counter.ts";
import { LatencyTracker } from "./latency.ts";
import type { PriceTable } from "./prices.ts";
import { NONE, type ErrorFigures, type Report, type ReportScope } from "./report.ts";
import { round } from "./sample.ts";
import { TokenTotals } from "./tokens.ts";

const BUSIEST_HOURS = 5;

export interface TimeRange {
  since?: number;
  until?: number;
}

export class ReportBuilder {
  #records = 0;
  #messages = 0;
  #events = 0;
  #damaged = 0;
  #first: string | null = null;
  #last: string | null = null;
  readonly #agents = new Counter();
  readonly #recipients = new Counter();
  readonly #tiers = new Counter();
  readonly #chainTypes = new Counter();
  readonly #tags = new Counter();
  readonly #topics = new Counter();
  readonly #hours = new Counter();
  readonly #hoursOfDay = new Counter();
  readonly #errors = new Counter();
  readonly #eventTypes = new Counter();
  readonly #chains = new ChainTracker();
  readonly #latency = new LatencyTracker();
  readonly #tokens = new TokenTotals();

  constructor(private readonly range: TimeRange = {}) {}

  add(entry: Entry): void {
    const rec = entry.record;
    if (!rec) {
      this.#damaged++;
      return;
    }
    const ms = Date.parse(rec.ts);
    if ((this.range.since !== undefined && !(ms >= this.range.since)) || (this.range.until !== undefined && !(ms <= this.range.until))) return;
    this.#records++;
    if (rec.kind === "message") this.#message(rec, ms);
    else {
      this.#events++;
      this.#eventTypes.add(String(rec.event));
    }
  }

  #message(rec: MessageRecord, ms: number): void {
    this.#messages++;
    this.#first ??= rec.ts;
    this.#last = rec.ts;
    const meta = rec.meta ?? {};
    const agent = meta.agent ?? NONE;
    this.#agents.add(agent);
    this.#recipients.add(meta.recipient ?? NONE);
    this.#tiers.add(meta.ace_tier === undefined ? NONE : String(meta.ace_tier));
    this.#chainTypes.add(meta.chain_type ?? NONE);
    for (const tag of meta.shl_tags ?? []) this.#tags.add(tag);
    this.#topics.add(rec.topic === "" ? NONE : rec.topic);
    this.#hours.add(`${rec.ts.slice(0, 13)}:00Z`);
    this.#hoursOfDay.add(rec.ts.slice(11, 13));
    if (meta.chain_type === "error" || meta.error === true) this.#errors.add(agent);
    if (meta.chain_id !== undefined) this.#chains.add(meta.chain_id, ms, meta.agent, meta.chain_type === "handoff");
    // Reply latency: a response's link to its request (the payload's reply field), else, for one marked a
    // response, its chain's first message.
    const p = rec.payload;
    const payload = typeof p === "object" && p !== null && !Array.isArray(p) ? (p as Record<string, unknown>) : undefined;
    const replyTo = firstValue(payload, DEFAULT_RULES.reply_fields);
    if (replyTo !== undefined) this.#latency.reply(replyTo, ms, agent);
    else if (meta.chain_type === "response" && meta.chain_id !== undefined) this.#latency.reply(meta.chain_id, ms, agent);
    const id = firstValue(payload, DEFAULT_RULES.id_fields);
    if (id !== undefined) this.#latency.remember(id, ms, agent);
    if (meta.tokens) this.#tokens.add(meta.tokens, meta.model, agent);
  }

  finish(scope: ReportScope, prices: PriceTable): Report {
    const byAgent = this.#agents.toObject();
    const errors: Record<string, ErrorFigures> = {};
    for (const [agent, messages] of Object.entries(byAgent)) {
      const n = this.#errors.get(agent);
      errors[agent] = { messages, errors: n, rate: round(n / messages, 4) };
    }
    const errorCount = Object.values(errors).reduce((sum, e) => sum + e.errors, 0);
    const tokens_by_model = this.#tokens.byModel();
    const tokens_total = { input: 0, output: 0, cache_read: 0, cache_write: 0 };
    for (const t of Object.values(tokens_by_model)) for (const k of Object.keys(tokens_total) as (keyof typeof tokens_total)[]) tokens_total[k] += t[k];
    return {
      generated_at: new Date().toISOString(),
      scope,
      first_ts: this.#first,
      last_ts: this.#last,
      records: this.#records,
      messages: this.#messages,
      events: this.#events,
      damaged_lines: this.#damaged,
      messages_by_agent: byAgent,
      messages_by_recipient: this.#recipients.toObject(),
      messages_by_tier: this.#tiers.toObjectByKey(),
      messages_by_chain_type: this.#chainTypes.toObject(),
      messages_by_tag: this.#tags.toObject(),
      messages_by_topic: this.#topics.toObject(),
      messages_by_hour: this.#hours.toObjectByKey(),
      messages_by_hour_of_day: this.#hoursOfDay.toObjectByKey(),
      busiest_hours: this.#hours.sorted().slice(0, BUSIEST_HOURS).map(([hour, messages]) => ({ hour, messages })),
      chains: this.#chains.figures(),
      reply_latency_ms: this.#latency.figures(),
      errors_by_agent: errors,
      error_rate: this.#messages ? round(errorCount / this.#messages, 4) : 0,
      events_by_type: this.#eventTypes.toObject(),
      tokens_by_model,
      tokens_by_agent: this.#tokens.byAgent(),
      tokens_total,
      cost_usd: this.#tokens.cost(prices),
    };
  }
}
