// A plausible working conversation between three agents, generated step by step: tasks are requested, accepted,
// handed off for review, fail CI now and then, get fixed and released, with #tags, reply_to links and per-sender seq
// numbers. Deterministic for a given seed, so tests can count on it.

export const DEMO_AGENTS = ["planner", "coder", "reviewer"] as const;
export type DemoAgent = (typeof DEMO_AGENTS)[number];

export interface DemoMessage {
  topic: string;
  payload: {
    id: string;
    sender: DemoAgent;
    recipient: string;
    type: string;
    text: string;
    seq: number;
    ts: string;
    reply_to?: string;
    tags?: string[];
  };
}

const TASKS = [
  ["add retries to the upload client", "#backend", "exponential back-off with jitter"],
  ["fix the flaky login test", "#tests", "a race between the session cookie and the redirect"],
  ["paginate the audit log API", "#api", "cursor-based pages of 200 rows"],
  ["move secrets to the vault", "#security", "the three env files the deploy script reads"],
  ["cut p99 latency of /search", "#perf", "the N+1 query in the tag join"],
  ["migrate the invoices table", "#db", "a backfill in batches of 10k rows"],
  ["add dark mode to settings", "#frontend", "CSS variables for the four surface colours"],
  ["rotate the TLS certificates", "#ops", "the staging and production load balancers"],
] as const;
const FAILURES = [
  "CI failed: 2 tests in auth.spec.ts timed out",
  "lint error: unused import in client/retry.ts",
  "build failed: type error in api/pages.ts line 88",
  "integration test failed: expected 200, got 502 from staging",
];

/** Mulberry32: small, fast, seedable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class DemoConversation {
  private readonly random: () => number;
  private readonly seqs: Record<DemoAgent, number> = { planner: 0, coder: 0, reviewer: 0 };
  private readonly queue: DemoMessage[] = [];
  private ids = 0;
  private taskNo = 0;
  private done = 0;

  constructor(seed = 1) {
    this.random = rng(seed);
  }

  next(): DemoMessage {
    if (this.queue.length === 0) this.planTask();
    return this.queue.shift() as DemoMessage;
  }

  /** An agent announcing itself (sent until the recorder has heard it: see simulatedAgents). */
  join(agent: DemoAgent): DemoMessage {
    const msg = this.say(agent, "all", "join", `${agent} joined`);
    this.queue.pop();
    return msg;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private say(
    sender: DemoAgent,
    recipient: string,
    type: string,
    text: string,
    extra: { reply_to?: string; tags?: string[] } = {},
  ): DemoMessage {
    const msg: DemoMessage = {
      topic: `agents.${sender}`,
      payload: {
        id: `m-${++this.ids}`,
        sender,
        recipient,
        type,
        text,
        seq: ++this.seqs[sender],
        ts: new Date().toISOString(),
        ...extra,
      },
    };
    this.queue.push(msg);
    return msg;
  }

  /** One task's whole exchange, queued; its timestamps are set again when each message is sent. */
  private planTask(): void {
    const [task, tag, detail] = TASKS[this.taskNo++ % TASKS.length];
    const n = this.taskNo;
    const ask = this.say("planner", "coder", "request", `Can you take task ${n}: ${task}? ${tag}`);
    this.say("coder", "planner", "response", `On it. Starting with ${detail}.`, { reply_to: ask.payload.id });
    const question = this.say("coder", "planner", "question", `For task ${n}, should this ship behind a flag?`);
    this.say("planner", "coder", "answer", this.random() < 0.5 ? "Yes, default off." : "No flag needed.", {
      reply_to: question.payload.id,
    });
    const files = 2 + Math.floor(this.random() * 9);
    const handoff = this.say("coder", "reviewer", "handoff", `Handing off task ${n} for review: ${files} files changed #review ${tag}`, {
      reply_to: ask.payload.id,
    });
    let last = handoff;
    if (this.random() < 0.35) {
      const failure = this.pick(FAILURES);
      const err = this.say("reviewer", "coder", "error", `${failure} #ci`, { reply_to: handoff.payload.id, tags: ["ci"] });
      last = this.say("coder", "reviewer", "response", `Fixed: ${failure.split(":")[0]} on task ${n}, pushed again.`, {
        reply_to: err.payload.id,
      });
    }
    this.say("reviewer", "coder", "response", `Approved task ${n}. Merged to main. #done`, { reply_to: last.payload.id });
    this.done++;
    if (this.random() < 0.15) {
      this.say("coder", "human", "escalation", `Task ${n} needs a decision from a human: the rollout window is tonight #urgent`);
    }
    this.say("planner", "all", "broadcast", `Status: ${this.done} tasks done, next up: ${TASKS[this.taskNo % TASKS.length][0]} #standup`);
    if (this.random() < 0.3) this.say(this.pick(DEMO_AGENTS), "all", "heartbeat", "alive");
  }
}
