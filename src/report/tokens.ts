// Tokens of agents' transcripts (meta.tokens: counted once per model response by the importers, so plain sums are
// the totals) by model and by agent, and what they cost by the price table.
import type { Tokens } from "../record.ts";
import { costOf, priceFor, type PriceTable } from "./prices.ts";
import { round } from "./sample.ts";

export const UNKNOWN_MODEL = "(unknown)";
const MAX_KEYS = 1_000;

export interface CostFigures {
  /** USD; null for a model the price table has no price for. */
  by_model: Record<string, number | null>;
  by_agent: Record<string, number>;
  /** The priced models only. */
  total: number;
  unpriced_models: string[];
  prices: string;
}

const zero = (): Tokens => ({ input: 0, output: 0, cache_read: 0, cache_write: 0 });

function addTo(into: Tokens, t: Tokens): void {
  into.input += t.input;
  into.output += t.output;
  into.cache_read += t.cache_read;
  into.cache_write += t.cache_write;
}

export class TokenTotals {
  readonly #byModel = new Map<string, Tokens>();
  /** agent → model → tokens, so an agent's cost is priced per model. */
  readonly #byAgent = new Map<string, Map<string, Tokens>>();

  add(tokens: Tokens, model: string | undefined, agent: string): void {
    const m = model ?? UNKNOWN_MODEL;
    addTo(slot(this.#byModel, m), tokens);
    let models = this.#byAgent.get(agent);
    if (!models) {
      if (this.#byAgent.size >= MAX_KEYS) return;
      this.#byAgent.set(agent, (models = new Map()));
    }
    addTo(slot(models, m), tokens);
  }

  byModel(): Record<string, Tokens> {
    return Object.fromEntries([...this.#byModel].sort(([, a], [, b]) => total(b) - total(a)));
  }

  byAgent(): Record<string, Tokens> {
    const rows = [...this.#byAgent].map(([agent, models]) => {
      const sum = zero();
      for (const t of models.values()) addTo(sum, t);
      return [agent, sum] as const;
    });
    return Object.fromEntries(rows.sort(([, a], [, b]) => total(b) - total(a)));
  }

  cost(table: PriceTable): CostFigures {
    const priceOf = (model: string) => (model === UNKNOWN_MODEL ? undefined : priceFor(table, model));
    const by_model: Record<string, number | null> = {};
    for (const [model, t] of this.#byModel) {
      const price = priceOf(model);
      by_model[model] = price ? round(costOf(t, price), 6) : null;
    }
    const by_agent: Record<string, number> = {};
    for (const [agent, models] of this.#byAgent) {
      let sum = 0;
      for (const [model, t] of models) {
        const price = priceOf(model);
        if (price) sum += costOf(t, price);
      }
      by_agent[agent] = round(sum, 6);
    }
    const priced = Object.values(by_model).filter((c): c is number => c !== null);
    return {
      by_model,
      by_agent,
      total: round(priced.reduce((a, b) => a + b, 0), 6),
      unpriced_models: Object.keys(by_model).filter((m) => by_model[m] === null),
      prices: table.source,
    };
  }
}

function slot(map: Map<string, Tokens>, key: string): Tokens {
  let t = map.get(key);
  if (!t) {
    t = zero();
    if (map.size < MAX_KEYS) map.set(key, t);
  }
  return t;
}

export function total(t: Tokens): number {
  return t.input + t.output + t.cache_read + t.cache_write;
}
