// The SUB socket: connected to every broker, draining continuously, handing batches of raw messages on.
import { Subscriber } from "zeromq";
import { timestamp } from "../record.ts";

export interface EndpointState {
  endpoint: string;
  connected: boolean;
  since: string | null;
}

export interface CaptureOptions {
  brokers: string[];
  /** Topic prefixes; empty = everything. */
  topics: string[];
  /** Messages received together, in order; the capture waits for this before receiving more than a batch ahead. */
  onBatch(messages: Buffer[][], receivedAt: string): void | Promise<void>;
  onEndpoint(state: EndpointState): void;
}

/** After this many messages (or bytes) in a row the loop waits for their hand-over, so timers and disk writes get
 * their turn and a burst of huge messages is not all held in memory at once. */
const MAX_BATCH = 1000;
const MAX_BATCH_BYTES = 16 << 20;
/** A stop first takes what already reached the socket: it waits until nothing came for this long… */
const DRAIN_QUIET_MS = 100;
/** …or for this long at most, when publishers keep sending. */
const DRAIN_MAX_MS = 1_000;

export class Capture {
  private readonly socket = new Subscriber({
    receiveHighWaterMark: 0, // unbounded on our side: the recorder itself never drops
    linger: 0,
    reconnectInterval: 200,
    reconnectMaxInterval: 2000,
  });
  private readonly states = new Map<string, EndpointState>();
  private loop?: Promise<void>;
  private lastReceivedAt = 0;

  constructor(private readonly opts: CaptureOptions) {
    for (const endpoint of opts.brokers) this.states.set(endpoint, { endpoint, connected: false, since: null });
  }

  endpoints(): EndpointState[] {
    return [...this.states.values()].map((s) => ({ ...s }));
  }

  start(): void {
    const events = this.socket.events;
    events.on("connect", (e) => this.mark(e.address, true));
    events.on("disconnect", (e) => this.mark(e.address, false));
    if (this.opts.topics.length === 0) this.socket.subscribe();
    else this.socket.subscribe(...this.opts.topics);
    for (const endpoint of this.opts.brokers) this.socket.connect(endpoint); // ZeroMQ retries until a broker is up
    this.loop = this.receiveLoop();
  }

  private mark(address: string, connected: boolean): void {
    const state = this.states.get(address) ?? { endpoint: address, connected, since: null };
    if (state.connected === connected && state.since !== null) return;
    state.connected = connected;
    state.since = timestamp();
    this.states.set(address, state);
    this.opts.onEndpoint({ ...state });
  }

  private async receiveLoop(): Promise<void> {
    let pending: Buffer[][] = [];
    let pendingBytes = 0;
    let handing: Promise<void> = Promise.resolve();
    const handOver = async () => {
      const messages = pending;
      pending = [];
      pendingBytes = 0;
      if (messages.length > 0) await this.opts.onBatch(messages, timestamp());
    };
    try {
      for (;;) {
        const message = await this.socket.receive(); // not inside push(): `pending` may be swapped meanwhile
        this.lastReceivedAt = performance.now();
        pending.push(message);
        for (const frame of message) pendingBytes += frame.byteLength;
        // The first message of a batch schedules its hand-over for the next turn of the event loop; whatever
        // arrives until then joins it. A full batch waits for it, which also lets timers and disk writes run.
        if (pending.length === 1) handing = handing.then(() => new Promise(setImmediate)).then(handOver);
        if (pending.length >= MAX_BATCH || pendingBytes >= MAX_BATCH_BYTES) await handing;
      }
    } catch (err) {
      if (!this.socket.closed) throw err;
    } finally {
      await handing;
      await handOver();
    }
  }

  /**
   * Stops receiving; every message already received is handed over before this resolves. Messages that reached the
   * socket are received first: the socket is closed once none came for a moment (or after at most a second).
   */
  async close(): Promise<void> {
    const started = performance.now();
    while (performance.now() - Math.max(this.lastReceivedAt, started) < DRAIN_QUIET_MS && performance.now() - started < DRAIN_MAX_MS) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.socket.close();
    await this.loop;
  }
}
