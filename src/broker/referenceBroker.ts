// A reference broker for setups without one (docs/SPEC.md): publishers connect to an XSUB socket, subscribers to an
// XPUB socket, and every message is forwarded. Also `send`, which publishes one message through it.
import { randomUUID } from "node:crypto";
import { Proxy, XPublisher, XSubscriber } from "zeromq";

export interface BrokerEndpoints {
  /** Where publishers connect (XSUB binds here). */
  pub: string;
  /** Where subscribers connect, the recorder too (XPUB binds here). */
  sub: string;
}

async function bindOrExplain(socket: XPublisher | XSubscriber, endpoint: string, role: string): Promise<void> {
  try {
    await socket.bind(endpoint);
  } catch (err) {
    const inUse = (err as { code?: string }).code === "EADDRINUSE";
    throw new Error(
      inUse
        ? `${endpoint} (${role}) is already in use: is another broker running? Choose other ports with --pub/--sub.`
        : `cannot bind ${endpoint} (${role}): ${(err as Error).message}`,
    );
  }
}

export interface RunningBroker {
  /** Resolves when the broker stops. */
  done: Promise<void>;
  stop(): void;
}

export async function startBroker({ pub, sub }: BrokerEndpoints): Promise<RunningBroker> {
  const proxy = new Proxy(new XSubscriber({ linger: 0 }), new XPublisher({ linger: 0, sendHighWaterMark: 0 }));
  try {
    await bindOrExplain(proxy.frontEnd, pub, "publishers");
    await bindOrExplain(proxy.backEnd, sub, "subscribers");
  } catch (err) {
    proxy.frontEnd.close();
    proxy.backEnd.close();
    throw err;
  }
  return { done: proxy.run(), stop: () => proxy.terminate() };
}

export interface OutgoingMessage {
  from: string;
  to?: string;
  topic?: string;
  text: string;
}

/**
 * Publishes one JSON message to a broker's publisher endpoint. A publisher drops what it sends before it has learned
 * the broker's subscriptions, so this uses an XPUB socket, which sees them arrive, and sends after the first one
 * (or, when nobody subscribes at all, after `settleMs` of waiting: nobody would receive it anyway).
 */
export async function sendMessage(endpoint: string, msg: OutgoingMessage, { timeoutMs = 5000, settleMs = 1000 } = {}) {
  const socket = new XPublisher({ linger: 2000 });
  try {
    const handshake = new Promise<void>((resolve) => socket.events.on("handshake", () => resolve()));
    socket.connect(endpoint);
    await withTimeout(handshake, timeoutMs, `no broker answered at ${endpoint} within ${timeoutMs} ms`);
    await withTimeout(socket.receive(), settleMs, "").catch(() => {});
    const payload = {
      sender: msg.from,
      ...(msg.to ? { recipient: msg.to } : {}),
      type: "message",
      text: msg.text,
      ts: new Date().toISOString(),
      id: randomUUID(),
    };
    const body = JSON.stringify(payload);
    await socket.send(msg.topic !== undefined ? [msg.topic, body] : [body]);
    return payload;
  } finally {
    socket.close(); // linger lets the queued message leave before the socket goes
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
