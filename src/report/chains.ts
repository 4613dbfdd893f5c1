// Reply chains (messages sharing a `meta.chain_id`, docs/ENRICHMENT.md): how many, how long, how long they took, how
// often work was handed off in them and who took part. Open chains are bounded (RecentSlots: the last 50,000 chains
// seen stay open, never more than 100,000): a chain not seen for that long is closed and counts as it stands. Their
// figures live in typed arrays, a slot per open chain, so a session of a million chains leaves no garbage behind.
import { NameTable, NO_NAME } from "./nameTable.ts";
import { RecentSlots } from "./recentSlots.ts";
import { Sample, type Percentiles } from "./sample.ts";

const OPEN_CHAINS = 100_000;
/** Between a source and a chain id in a key: no source id holds it. */
export const SOURCE_END = "\u0000";
const LONGEST_KEPT = 10;
/** Agents named per chain; more are counted, not named. */
const AGENTS_NAMED = 16;

export interface ChainSummary {
  chain_id: string;
  messages: number;
  duration_ms: number;
  handoffs: number;
  agents: string[];
}

export interface ChainFigures {
  /** Chains of two messages or more (a message nothing replied to is not a chain). */
  count: number;
  /** Messages in those chains. */
  messages: number;
  length: Percentiles;
  duration_ms: Percentiles;
  /** Messages whose chain type is `handoff`, in those chains. */
  handoffs: number;
  agents_per_chain: Percentiles;
  longest: ChainSummary[];
}

export class ChainTracker {
  readonly #open = new RecentSlots(OPEN_CHAINS, (slot, id) => this.#close(slot, id));
  readonly #first = new Float64Array(OPEN_CHAINS);
  readonly #last = new Float64Array(OPEN_CHAINS);
  readonly #messages = new Int32Array(OPEN_CHAINS);
  readonly #handoffsIn = new Int32Array(OPEN_CHAINS);
  readonly #agentCount = new Uint8Array(OPEN_CHAINS);
  readonly #moreAgents = new Int32Array(OPEN_CHAINS);
  readonly #agentIds = new Uint16Array(OPEN_CHAINS * AGENTS_NAMED);
  readonly #names = new NameTable();
  readonly #length = new Sample();
  readonly #duration = new Sample();
  readonly #agents = new Sample();
  #count = 0;
  #inChains = 0;
  #handoffs = 0;
  #longest: ChainSummary[] = [];
  /** Whether chains are told apart by their source as well (an archive's: each folder numbers its own). */
  #bySource = false;

  add(chainId: string, ts: number, agent: string | undefined, handoff: boolean, source = ""): void {
    if (source !== "") this.#bySource = true;
    const key = source === "" ? chainId : `${source}${SOURCE_END}${chainId}`;
    let slot = this.#open.find(key);
    if (slot < 0) {
      slot = this.#open.add(key);
      this.#first[slot] = this.#last[slot] = ts;
      this.#messages[slot] = this.#handoffsIn[slot] = this.#agentCount[slot] = this.#moreAgents[slot] = 0;
    }
    this.#messages[slot]++;
    if (ts < this.#first[slot]) this.#first[slot] = ts;
    if (ts > this.#last[slot]) this.#last[slot] = ts;
    if (handoff) this.#handoffsIn[slot]++;
    if (agent !== undefined) this.#addAgent(slot, this.#names.id(agent));
  }

  figures(): ChainFigures {
    this.#open.evictAll();
    return {
      count: this.#count,
      messages: this.#inChains,
      length: this.#length.percentiles(),
      duration_ms: this.#duration.percentiles(),
      handoffs: this.#handoffs,
      agents_per_chain: this.#agents.percentiles(),
      longest: this.#longest,
    };
  }

  #addAgent(slot: number, id: number): void {
    const from = slot * AGENTS_NAMED;
    const n = this.#agentCount[slot];
    if (id !== NO_NAME) for (let i = from; i < from + n; i++) if (this.#agentIds[i] === id) return;
    if (n < AGENTS_NAMED && id !== NO_NAME) {
      this.#agentIds[from + n] = id;
      this.#agentCount[slot] = n + 1;
    } else this.#moreAgents[slot]++;
  }

  #close(slot: number, key: string): void {
    const messages = this.#messages[slot];
    if (messages < 2) return;
    const duration = this.#last[slot] - this.#first[slot];
    const handoffs = this.#handoffsIn[slot];
    const named = this.#agentCount[slot];
    this.#count++;
    this.#inChains += messages;
    this.#handoffs += handoffs;
    this.#length.add(messages);
    this.#duration.add(duration);
    this.#agents.add(named + this.#moreAgents[slot]);
    const last = this.#longest.at(-1);
    if (this.#longest.length < LONGEST_KEPT || messages > last!.messages) {
      const from = slot * AGENTS_NAMED;
      const agents = [...this.#agentIds.subarray(from, from + named)].map((a) => this.#names.name(a)).sort();
      const id = this.#bySource ? key.slice(key.indexOf(SOURCE_END) + 1) : key;
      this.#longest.push({ chain_id: id, messages, duration_ms: duration, handoffs, agents });
      this.#longest.sort((a, b) => b.messages - a.messages || b.duration_ms - a.duration_ms);
      this.#longest.length = Math.min(this.#longest.length, LONGEST_KEPT);
    }
  }
}
