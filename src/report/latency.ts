// Reply latency per agent pair: a response's time minus the time of the request it answers, keyed "asker→answerer".
// A response names its request through the payload's reply field (`reply_to`, `in_reply_to`, `parent_id`); one
// marked `response` that names none answers the first message of its chain. Requests are remembered by id, the
// most recent 50,000 (a bound on memory: a reply after 50,000 newer requests is not timed).
import { Sample, type Percentiles } from "./sample.ts";

const REMEMBERED = 50_000;
const MAX_PAIRS = 1_000;

interface Asked {
  ts: number;
  agent: string;
}

export class LatencyTracker {
  readonly #asked = new Map<string, Asked>();
  readonly #pairs = new Map<string, Sample>();

  /** A message with an id that others may reply to. */
  remember(id: string, ts: number, agent: string): void {
    this.#asked.delete(id);
    this.#asked.set(id, { ts, agent });
    if (this.#asked.size > REMEMBERED) this.#asked.delete(this.#asked.keys().next().value!);
  }

  /** A reply to the message `to`; unknown requests (before the report's range, or forgotten) are left out. */
  reply(to: string, ts: number, agent: string): void {
    const asked = this.#asked.get(to);
    if (!asked || asked.agent === agent) return; // an agent following up on itself is not waiting for anyone
    const key = `${asked.agent}→${agent}`;
    let sample = this.#pairs.get(key);
    if (!sample) {
      if (this.#pairs.size >= MAX_PAIRS) return;
      this.#pairs.set(key, (sample = new Sample()));
    }
    sample.add(Math.max(0, ts - asked.ts));
  }

  /** Pairs with the most replies first. */
  figures(): Record<string, Percentiles> {
    const rows = [...this.#pairs].map(([key, s]) => [key, s.percentiles()] as const);
    rows.sort(([ka, a], [kb, b]) => b.n - a.n || (ka < kb ? -1 : 1));
    return Object.fromEntries(rows);
  }
}
