// The recorder's control channel: loopback TCP, one JSON line per request, a random token in an owner-only file
// (docs/ARCHITECTURE.md "Control channel").
import { randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import type { ControlCommand, ControlEndpoint } from "../control/client.ts";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { logsPaths } from "../storage/logsDir.ts";

export type ControlHandler = (cmd: ControlCommand, args: Record<string, unknown>) => Promise<unknown>;

const COMMANDS: ControlCommand[] = ["ping", "checkpoint", "new", "load", "stop"];

/** How much the channel takes before it stops listening to someone: requests are one short line from a local client. */
export interface ControlLimits {
  /** Bytes of one request line. */
  maxRequestBytes: number;
  /** Connections open at once; more are closed as they arrive. */
  maxConnections: number;
  /** A connection that has not sent its request by then is closed. */
  idleMs: number;
}

export const CONTROL_LIMITS: ControlLimits = { maxRequestBytes: 64 * 1024, maxConnections: 16, idleMs: 10_000 };

export interface ControlServer {
  close(): Promise<void>;
}

function sameToken(given: unknown, token: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function answer(line: string, token: string, handler: ControlHandler): Promise<object> {
  let req: { token?: unknown; cmd?: unknown; args?: unknown };
  try {
    req = JSON.parse(line);
  } catch {
    return { ok: false, error: "a request is one JSON object per line" };
  }
  if (!sameToken(req.token, token)) return { ok: false, error: "bad token" };
  if (!COMMANDS.includes(req.cmd as ControlCommand)) return { ok: false, error: `unknown command ${JSON.stringify(req.cmd)}` };
  try {
    const args = typeof req.args === "object" && req.args !== null ? (req.args as Record<string, unknown>) : {};
    return { ok: true, result: (await handler(req.cmd as ControlCommand, args)) ?? null };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Every answer names this process, which holds the folder's lock: a client believes no one else (client.ts). */
function reply(socket: net.Socket, body: object): void {
  socket.end(JSON.stringify({ ...body, pid: process.pid }) + "\n");
}

export async function startControlServer(
  logsDir: string,
  handler: ControlHandler,
  limits: ControlLimits = CONTROL_LIMITS,
): Promise<ControlServer> {
  const token = randomBytes(32).toString("hex");
  const file = logsPaths(logsDir).control;
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    let size = 0;
    socket.on("error", () => socket.destroy());
    socket.setTimeout(limits.idleMs, () => socket.destroy());
    socket.on("data", (chunk: Buffer) => {
      const nl = chunk.indexOf(0x0a);
      size += nl < 0 ? chunk.length : nl;
      if (size > limits.maxRequestBytes) {
        socket.pause();
        return reply(socket, { ok: false, error: `a request is at most ${limits.maxRequestBytes} bytes` });
      }
      chunks.push(nl < 0 ? chunk : chunk.subarray(0, nl));
      if (nl < 0) return;
      socket.pause();
      socket.setTimeout(0); // the request is in: a command may take its time (a load copies a conversation)
      const line = Buffer.concat(chunks).toString("utf8");
      void answer(line, token, handler).then((body) => reply(socket, body));
    });
  });
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  server.unref();
  // Owner-only (atomicFile's default mode): whoever can read the token can command the recorder.
  const endpoint: ControlEndpoint = { pid: process.pid, port: (server.address() as net.AddressInfo).port, token };
  await writeFileAtomic(file, JSON.stringify(endpoint) + "\n");
  return {
    async close() {
      server.close(); // open connections finish on their own; the process does not wait for them (unref)
      await fs.rm(file, { force: true });
    },
  };
}
