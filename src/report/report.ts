// The figures of `shearwater report` (docs/SPEC.md "Reports and alerts"): what `--json` prints and every other
// format draws.
import type { Tokens } from "../record.ts";
import type { LockedSession } from "../search/sessionFiles.ts";
import type { ChainFigures } from "./chains.ts";
import type { RewoundFigures } from "./rewoundTally.ts";
import type { Percentiles } from "./sample.ts";
import type { CostFigures } from "./tokens.ts";

export interface ReportScope {
  /** "the active session", "checkpoint ID", "all sessions". */
  what: string;
  sessions: string[];
  since: string | null;
  until: string | null;
  /** Encrypted sessions left out (of all sessions) because no key set here opens them, each with why. */
  left_out?: LockedSession[];
}

export interface ErrorFigures {
  messages: number;
  errors: number;
  /** errors / messages, 0…1. */
  rate: number;
}

export interface Report {
  generated_at: string;
  scope: ReportScope;
  /** Times of the first and last message counted. */
  first_ts: string | null;
  last_ts: string | null;
  records: number;
  messages: number;
  events: number;
  damaged_lines: number;
  messages_by_agent: Record<string, number>;
  messages_by_recipient: Record<string, number>;
  messages_by_tier: Record<string, number>;
  messages_by_chain_type: Record<string, number>;
  messages_by_tag: Record<string, number>;
  messages_by_topic: Record<string, number>;
  /** Per UTC hour, "2026-11-24T10:00Z", in time order. */
  messages_by_hour: Record<string, number>;
  /** Per hour of the day (UTC), "00" … "23". */
  messages_by_hour_of_day: Record<string, number>;
  busiest_hours: { hour: string; messages: number }[];
  chains: ChainFigures;
  /** "asker→answerer": a response's time minus its request's. */
  reply_latency_ms: Record<string, Percentiles>;
  errors_by_agent: Record<string, ErrorFigures>;
  error_rate: number;
  events_by_type: Record<string, number>;
  tokens_by_model: Record<string, Tokens>;
  tokens_by_agent: Record<string, Tokens>;
  tokens_total: Tokens;
  cost_usd: CostFigures;
  /**
   * Messages a rewind took out of the conversation (imported ones marked so, tapped ones named by a rewind event),
   * counted in the figures above too; their tokens stay in tokens and cost. Not in the index's quick counts.
   */
  rewound?: RewoundFigures;
}

/** Records without the field are counted under this key. */
export const NONE = "(none)";
