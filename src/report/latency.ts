// Reply latency per agent pair: a response's time minus the time of the request it answers, keyed "asker→answerer".
// A response names its request through the payload's reply field (`reply_to`, `in_reply_to`, `parent_id`); one
// marked `response` that names none answers the first message of its chain. Requests are remembered by id in
// bounded memory (RecentSlots: the most recent 50,000 always; a reply to an older request may not be timed).
import { SOURCE_END } from "./chains.ts";
import { NameTable } from "./nameTable.ts";
import { RecentSlots } from "./recentSlots.ts";
import { Sample, type Percentiles } from "./sample.ts";

const REMEMBERED = 100_000;
const MAX_PAIRS = 1_000;

export class LatencyTracker {
  readonly #asked = new RecentSlots(REMEMBERED, () => {});
  readonly #askedAt = new Float64Array(REMEMBERED);
  readonly #asker = new Uint16Array(REMEMBERED);
  readonly #names = new NameTable();
  readonly #pairs = new Map<string, Sample>();

  /** A message with an id that others (of its source: each folder names its own) may reply to. */
  remember(id: string, ts: number, agent: string, source = ""): void {
    const key = keyOf(id, source);
    let slot = this.#asked.find(key);
    if (slot < 0) slot = this.#asked.add(key);
    this.#askedAt[slot] = ts;
    this.#asker[slot] = this.#names.id(agent);
  }

  /** A reply to the message `to`; unknown requests (before the report's range, or forgotten) are left out. */
  reply(to: string, ts: number, agent: string, source = ""): void {
    const slot = this.#asked.find(keyOf(to, source));
    if (slot < 0) return;
    const asker = this.#names.name(this.#asker[slot]);
    if (asker === undefined || asker === agent) return; // an agent following up on itself is not waiting for anyone
    const key = `${asker}→${agent}`;
    let sample = this.#pairs.get(key);
    if (!sample) {
      if (this.#pairs.size >= MAX_PAIRS) return;
      this.#pairs.set(key, (sample = new Sample()));
    }
    sample.add(Math.max(0, ts - this.#askedAt[slot]));
  }

  /** Pairs with the most replies first. */
  figures(): Record<string, Percentiles> {
    const rows = [...this.#pairs].map(([key, s]) => [key, s.percentiles()] as const);
    rows.sort(([ka, a], [kb, b]) => b.n - a.n || (ka < kb ? -1 : 1));
    return Object.fromEntries(rows);
  }
}

function keyOf(id: string, source: string): string {
  return source === "" ? id : `${source}${SOURCE_END}${id}`;
}
