// Three simulated agents, each with its own PUB socket on the broker, speaking the demo conversation at a steady
// rate (a few hundred messages a minute).
import { Publisher } from "zeromq";
import { DEMO_AGENTS, DemoConversation, type DemoAgent, type DemoMessage } from "./conversation.ts";

export interface SimulatedAgents {
  /**
   * Each agent says it joined, again and again until `heard(agent)`: a PUB socket drops what it sends until the
   * broker's subscriptions have reached it, shortly after it connects.
   */
  join(heard: (agent: DemoAgent) => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Sends `n` messages at once (to seed a demo folder). */
  burst(n: number): Promise<void>;
  /** Starts the steady conversation. */
  talk(perMinute: number): void;
  /** Messages sent so far. */
  readonly sent: number;
  close(): void;
}

export async function startSimulatedAgents(pubEndpoint: string, { seed = 1, timeoutMs = 5000 } = {}): Promise<SimulatedAgents> {
  const sockets = new Map<DemoAgent, Publisher>();
  for (const name of DEMO_AGENTS) {
    const socket = new Publisher({ linger: 0 });
    // A PUB socket drops what it sends before its connection is up: wait for the handshake first.
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no broker answered at ${pubEndpoint} within ${timeoutMs} ms`)), timeoutMs);
      socket.events.on("handshake", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    socket.connect(pubEndpoint);
    sockets.set(name, socket);
    try {
      await ready;
    } catch (err) {
      for (const s of sockets.values()) s.close();
      throw err;
    }
  }
  const conversation = new DemoConversation(seed);
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  // One send at a time: a zeromq socket allows a single pending send.
  let chain = Promise.resolve();
  const send = (msg: DemoMessage) => {
    msg.payload.ts = new Date().toISOString();
    const socket = sockets.get(msg.payload.sender) as Publisher;
    chain = chain.then(() => socket.send([msg.topic, JSON.stringify(msg.payload)])).then(() => void sent++, () => undefined);
    return chain;
  };
  const sendNext = () => send(conversation.next());
  return {
    async join(heard, joinTimeoutMs = 15_000) {
      const deadline = Date.now() + joinTimeoutMs;
      for (const agent of DEMO_AGENTS) {
        while (!(await heard(agent))) {
          if (Date.now() > deadline) throw new Error(`the recorder did not hear ${agent} through the broker`);
          await send(conversation.join(agent));
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    async burst(n) {
      for (let i = 0; i < n; i++) void sendNext();
      await chain;
    },
    talk(perMinute) {
      clearInterval(timer);
      timer = setInterval(() => void sendNext(), Math.max(1, Math.round(60_000 / perMinute)));
    },
    get sent() {
      return sent;
    },
    close() {
      clearInterval(timer);
      for (const s of sockets.values()) s.close();
    },
  };
}
