// One pass over a conversation's lines → a Report. Everything kept is bounded (counters, samples, open chains,
// remembered requests), so a report over a million messages costs the same memory as one over a thousand.
import { ChainTracker } from "./chains.ts";
import { Counter } from "./counter.ts";
import { LatencyTracker } from "./latency.ts";
import type { PriceTable } from "./prices.ts";
import { NONE, type ErrorFigures, type Report, type ReportScope } from "./report.ts";
import { ReportLine } from "./reportLine.ts";
import { RewoundTally } from "./rewoundTally.ts";
import { round } from "./sample.ts";
import { TokenTotals } from "./tokens.ts";
import { TRANSCRIPT_REWOUND } from "../transcripts/rewindEvent.ts";

const BUSIEST_HOURS = 5;
const HOUR_MS = 3_600_000;
/** Hours counted one by one: more than eleven years of them. */
const MAX_HOURS = 100_000;

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
  readonly #line = new ReportLine();
  readonly #agents = new Counter();
  readonly #recipients = new Counter();
  readonly #tiers = new Counter();
  readonly #chainTypes = new Counter();
  readonly #tags = new Counter();
  readonly #topics = new Counter();
  /** Messages per UTC hour, keyed by hours since the epoch (a number: no key text made per message). */
  readonly #hours = new Map<number, number>();
  readonly #errors = new Counter();
  readonly #eventTypes = new Counter();
  readonly #chains = new ChainTracker();
  readonly #latency = new LatencyTracker();
  readonly #tokens = new TokenTotals();
  readonly #rewound = new RewoundTally();
  readonly #countTag = (tag: string) => this.#tags.add(tag);

  constructor(private readonly range: TimeRange = {}) {}

  /**
   * One line of a session file, as written. Lines of several sources (an archive) name the `source` too: chain and
   * message ids are each folder's own, so the same id in two sources is two chains.
   */
  add(text: string, source = ""): void {
    const line = this.#line;
    if (!line.read(text)) {
      this.#damaged++;
      return;
    }
    const ts = line.ts;
    const ms = Date.parse(ts);
    if ((this.range.since !== undefined && !(ms >= this.range.since)) || (this.range.until !== undefined && !(ms <= this.range.until))) return;
    this.#records++;
    if (line.isMessage) this.#message(line, ts, ms, source);
    else {
      this.#events++;
      this.#eventTypes.add(line.event ?? NONE);
      if (line.event === TRANSCRIPT_REWOUND) this.#rewound.event(text);
    }
  }

  #message(line: ReportLine, ts: string, ms: number, source: string): void {
    this.#messages++;
    this.#first ??= ts;
    this.#last = ts;
    const named = line.meta("agent");
    const agent = named ?? NONE;
    const chainType = line.meta("chain_type");
    const chainId = line.meta("chain_id");
    this.#agents.add(agent);
    this.#recipients.add(line.meta("recipient") ?? NONE);
    this.#tiers.add(line.meta("ace_tier") ?? NONE);
    this.#chainTypes.add(chainType ?? NONE);
    line.tags(this.#countTag);
    this.#topics.add(line.topic || NONE);
    const hour = Math.floor(ms / HOUR_MS);
    const inHour = this.#hours.get(hour);
    if (inHour !== undefined) this.#hours.set(hour, inHour + 1);
    else if (this.#hours.size < MAX_HOURS) this.#hours.set(hour, 1);
    if (chainType === "error" || line.metaError) this.#errors.add(agent);
    if (chainId !== undefined) this.#chains.add(chainId, ms, named, chainType === "handoff", source);
    // Reply latency: a response's link to its request (the payload's reply field), else, for one marked a
    // response, its chain's first message.
    const replyTo = line.replyTo;
    if (replyTo !== undefined) this.#latency.reply(replyTo, ms, agent, source);
    else if (chainType === "response" && chainId !== undefined) this.#latency.reply(chainId, ms, agent, source);
    const id = line.id;
    if (id !== undefined) this.#latency.remember(id, ms, agent, source);
    const tokens = line.tokens;
    if (tokens) this.#tokens.add(tokens, line.meta("model"), agent);
    this.#rewound.message(line, agent);
  }

  /** Per UTC hour ("2026-11-24T10:00Z", in time order) and per hour of the day ("00"…"23"), from the hours kept. */
  #hourCounts(): { byHour: Counter; byHourOfDay: Counter } {
    const byHour = new Counter(MAX_HOURS);
    const byHourOfDay = new Counter();
    for (const [hour, n] of this.#hours) {
      const at = Number.isFinite(hour) ? new Date(hour * HOUR_MS).toISOString() : null;
      byHour.add(at ? `${at.slice(0, 13)}:00Z` : NONE, n);
      byHourOfDay.add(at ? at.slice(11, 13) : NONE, n);
    }
    return { byHour, byHourOfDay };
  }

  finish(scope: ReportScope, prices: PriceTable): Report {
    const byAgent = this.#agents.toObject();
    const { byHour, byHourOfDay } = this.#hourCounts();
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
      messages_by_hour: byHour.toObjectByKey(),
      messages_by_hour_of_day: byHourOfDay.toObjectByKey(),
      busiest_hours: byHour.sorted().slice(0, BUSIEST_HOURS).map(([hour, messages]) => ({ hour, messages })),
      chains: this.#chains.figures(),
      reply_latency_ms: this.#latency.figures(),
      errors_by_agent: errors,
      error_rate: this.#messages ? round(errorCount / this.#messages, 4) : 0,
      events_by_type: this.#eventTypes.toObject(),
      tokens_by_model,
      tokens_by_agent: this.#tokens.byAgent(),
      tokens_total,
      cost_usd: this.#tokens.cost(prices),
      rewound: this.#rewound.figures(),
    };
  }
}
