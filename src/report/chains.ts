// Reply chains (messages sharing a `meta.chain_id`, docs/ENRICHMENT.md): how many, how long, how long they took, how
// often work was handed off in them and who took part. Open chains are bounded (50,000, for memory): the chain
// seen least recently is closed first, and a closed chain counts as it stands.
import { Sample, type Percentiles } from "./sample.ts";

const OPEN_CHAINS = 50_000;
const LONGEST_KEPT = 10;
/** Agents named per chain; more are counted, not named. */
const AGENTS_NAMED = 16;

interface OpenChain {
  id: string;
  first: number;
  last: number;
  messages: number;
  handoffs: number;
  agents: Set<string>;
  moreAgents: number;
}

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
  readonly #open = new Map<string, OpenChain>();
  readonly #length = new Sample();
  readonly #duration = new Sample();
  readonly #agents = new Sample();
  #count = 0;
  #messages = 0;
  #handoffs = 0;
  #longest: ChainSummary[] = [];

  add(chainId: string, ts: number, agent: string | undefined, handoff: boolean): void {
    let chain = this.#open.get(chainId);
    if (chain) this.#open.delete(chainId); // re-inserted below as the most recently seen
    else chain = { id: chainId, first: ts, last: ts, messages: 0, handoffs: 0, agents: new Set(), moreAgents: 0 };
    chain.messages++;
    chain.first = Math.min(chain.first, ts);
    chain.last = Math.max(chain.last, ts);
    if (handoff) chain.handoffs++;
    if (agent !== undefined && !chain.agents.has(agent)) {
      if (chain.agents.size < AGENTS_NAMED) chain.agents.add(agent);
      else chain.moreAgents++;
    }
    this.#open.set(chainId, chain);
    if (this.#open.size > OPEN_CHAINS) {
      const oldest = this.#open.values().next().value!;
      this.#open.delete(oldest.id);
      this.#close(oldest);
    }
  }

  figures(): ChainFigures {
    for (const chain of this.#open.values()) this.#close(chain);
    this.#open.clear();
    return {
      count: this.#count,
      messages: this.#messages,
      length: this.#length.percentiles(),
      duration_ms: this.#duration.percentiles(),
      handoffs: this.#handoffs,
      agents_per_chain: this.#agents.percentiles(),
      longest: this.#longest,
    };
  }

  #close(chain: OpenChain): void {
    if (chain.messages < 2) return;
    const duration = chain.last - chain.first;
    this.#count++;
    this.#messages += chain.messages;
    this.#handoffs += chain.handoffs;
    this.#length.add(chain.messages);
    this.#duration.add(duration);
    this.#agents.add(chain.agents.size + chain.moreAgents);
    const last = this.#longest.at(-1);
    if (this.#longest.length < LONGEST_KEPT || chain.messages > last!.messages) {
      const agents = [...chain.agents].sort();
      this.#longest.push({ chain_id: chain.id, messages: chain.messages, duration_ms: duration, handoffs: chain.handoffs, agents });
      this.#longest.sort((a, b) => b.messages - a.messages || b.duration_ms - a.duration_ms);
      this.#longest.length = Math.min(this.#longest.length, LONGEST_KEPT);
    }
  }
}
