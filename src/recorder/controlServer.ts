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
const MAX_REQUEST_BYTES = 64 * 1024;

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

export async function startControlServer(logsDir: string, handler: ControlHandler): Promise<ControlServer> {
  const token = randomBytes(32).toString("hex");
  const file = logsPaths(logsDir).control;
  const server = net.createServer((socket) => {
    let buffered = "";
    socket.setEncoding("utf8");
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_REQUEST_BYTES) return void socket.destroy();
      const nl = buffered.indexOf("\n");
      if (nl < 0) return;
      const line = buffered.slice(0, nl);
      buffered = "";
      socket.pause();
      void answer(line, token, handler).then((reply) => socket.end(JSON.stringify(reply) + "\n"));
    });
  });
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
