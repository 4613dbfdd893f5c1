// What tokens cost: USD per million tokens of each kind, per model. A model is priced by the longest key its name
// starts with (`claude-sonnet-4-5` prices `claude-sonnet-4-5-20250929`). The defaults are the providers' list prices
// on the date below (standard tier, prompts under 200k tokens); `--prices FILE` and `--price` replace entries.
import type { Tokens } from "../record.ts";

export const DEFAULT_PRICES_DATE = "2025-11-24";

export type Price = Tokens;

export interface PriceTable {
  source: string;
  models: Record<string, Price>;
}

const p = (input: number, output: number, cache_read: number, cache_write: number): Price => ({ input, output, cache_read, cache_write });

// Keys are as precise as the model ids need: `claude-opus-4-2` is Opus 4's dated id (claude-opus-4-20250514), so a
// later model (claude-opus-4-6) is not priced as an older one; it is reported without a price until given one.
const DEFAULT_MODELS: Record<string, Price> = {
  "claude-opus-4-5": p(5, 25, 0.5, 6.25),
  "claude-opus-4-1": p(15, 75, 1.5, 18.75),
  "claude-opus-4-0": p(15, 75, 1.5, 18.75),
  "claude-opus-4-2": p(15, 75, 1.5, 18.75),
  "claude-sonnet-4-5": p(3, 15, 0.3, 3.75),
  "claude-sonnet-4-0": p(3, 15, 0.3, 3.75),
  "claude-sonnet-4-2": p(3, 15, 0.3, 3.75),
  "claude-3-7-sonnet": p(3, 15, 0.3, 3.75),
  "claude-haiku-4-5": p(1, 5, 0.1, 1.25),
  "claude-3-5-haiku": p(0.8, 4, 0.08, 1),
  "gemini-3-pro": p(2, 12, 0.2, 0),
  "gemini-2.5-pro": p(1.25, 10, 0.125, 0),
  "gemini-2.5-flash": p(0.3, 2.5, 0.03, 0),
  "gemini-2.5-flash-lite": p(0.1, 0.4, 0.01, 0),
  "gpt-5": p(1.25, 10, 0.125, 0),
  "gpt-5-mini": p(0.25, 2, 0.025, 0),
  "gpt-5-nano": p(0.05, 0.4, 0.005, 0),
  "gpt-5-pro": p(15, 120, 0, 0),
  "gpt-5.1-codex-mini": p(0.25, 2, 0.025, 0),
  "gpt-4.1": p(2, 8, 0.5, 0),
  o3: p(2, 8, 0.5, 0),
  "o4-mini": p(1.1, 4.4, 0.275, 0),
};

export function defaultPrices(): PriceTable {
  return { source: `defaults (list prices of ${DEFAULT_PRICES_DATE})`, models: { ...DEFAULT_MODELS } };
}

export class PriceError extends Error {}

const KINDS = ["input", "output", "cache_read", "cache_write"] as const;

/** A prices file: `{"MODEL": {"input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75}, …}`, USD per million. */
export function parsePricesFile(text: string, file: string): Record<string, Price> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PriceError(`${file}: not JSON: ${(err as Error).message}`);
  }
  if (!isObject(value)) throw new PriceError(`${file}: expected an object of models, e.g. {"claude-sonnet-4": {"input": 3, "output": 15}}`);
  const models: Record<string, Price> = {};
  for (const [model, price] of Object.entries(value)) {
    if (!isObject(price)) throw new PriceError(`${file}: "${model}": expected {input, output, cache_read, cache_write}`);
    const unknown = Object.keys(price).find((k) => !(KINDS as readonly string[]).includes(k));
    if (unknown) throw new PriceError(`${file}: "${model}": unknown field "${unknown}" (expected ${KINDS.join(", ")})`);
    models[model.toLowerCase()] = priceOf(KINDS.map((k) => price[k] ?? 0), `${file}: "${model}"`);
  }
  return models;
}

/** `--price MODEL=INPUT,OUTPUT[,CACHE_READ[,CACHE_WRITE]]`, USD per million tokens. */
export function parsePriceFlag(text: string): [string, Price] {
  const m = /^([^=]+)=(.+)$/.exec(text);
  const numbers = m?.[2].split(",").map((s) => s.trim());
  if (!m || !numbers || numbers.length < 2 || numbers.length > 4) {
    throw new PriceError(`bad --price "${text}" (expected MODEL=INPUT,OUTPUT[,CACHE_READ[,CACHE_WRITE]] in USD per million tokens)`);
  }
  return [m[1].trim().toLowerCase(), priceOf(numbers.map((n) => (n === "" ? NaN : Number(n))), `--price ${text}`)];
}

function priceOf(values: unknown[], where: string): Price {
  const bad = values.find((v) => typeof v !== "number" || !Number.isFinite(v) || v < 0);
  if (bad !== undefined) throw new PriceError(`${where}: a price must be a number ≥ 0, not ${JSON.stringify(bad) ?? String(bad)}`);
  const [input, output, cache_read = 0, cache_write = 0] = values as number[];
  return { input, output, cache_read, cache_write };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The price of a model: the longest key its lower-cased name starts with; undefined when none does. */
export function priceFor(table: PriceTable, model: string): Price | undefined {
  const name = model.toLowerCase();
  let best: string | undefined;
  for (const key of Object.keys(table.models)) if (name.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  return best === undefined ? undefined : table.models[best];
}

export function costOf(tokens: Tokens, price: Price): number {
  return KINDS.reduce((sum, k) => sum + (tokens[k] * price[k]) / 1_000_000, 0);
}
