// The control channel believes only the recorder that holds the folder's lock, and its server does not let clients
// pile up: connections are capped, idle ones closed, requests bounded.
import fs from "node:fs/promises";
import net from "node:net";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { NoRecorderError, sendControl, type ControlEndpoint } from "../../src/control/client.ts";
import { startControlServer, type ControlServer } from "../../src/recorder/controlServer.ts";
import { writeFileAtomic } from "../../src/storage/atomicFile.ts";
import { acquireLock, type RecorderLock } from "../../src/storage/lock.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { freePort } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { startRecorder } from "./support.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A server that answers every request line with `answer` and remembers what it was sent. */
async function fakeServer(port: number, answer: object): Promise<{ received: string[] }> {
  const received: string[] = [];
  const server = net.createServer((socket) => {
    socket.on("data", (d) => {
      received.push(d.toString());
      socket.end(JSON.stringify(answer) + "\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { received };
}

async function held(logsDir: string): Promise<RecorderLock> {
  const lock = await acquireLock(logsDir);
  cleanups.push(() => lock.release());
  return lock;
}

async function serve(logsDir: string, limits = { maxRequestBytes: 1024, maxConnections: 3, idleMs: 300 }): Promise<ControlServer> {
  const server = await startControlServer(logsDir, async (cmd) => ({ cmd }), limits);
  cleanups.push(() => server.close());
  return server;
}

async function connect(logsDir: string): Promise<net.Socket> {
  const { port } = JSON.parse(await fs.readFile(logsPaths(logsDir).control, "utf8")) as ControlEndpoint;
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.on("error", () => {}); // a reset by the server is what some tests wait for
  cleanups.push(() => socket.destroy());
  await once(socket, "connect");
  return socket;
}

/** Resolves with what the server sent before it closed the connection, or "open" if it stays open for `ms`. */
function closedWithin(socket: net.Socket, ms: number): Promise<string> {
  let data = "";
  socket.on("data", (d) => (data += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("open"), ms);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(`closed:${data}`);
    });
  });
}

describe("the control client", () => {
  it("after a recorder was killed, refuses to talk to whoever listens on its old port", async () => {
    const logs = await tmpDir();
    const recorder = await startRecorder(logs, `tcp://127.0.0.1:${await freePort()}`);
    const stale = JSON.parse(await fs.readFile(logsPaths(logs).control, "utf8")) as ControlEndpoint;
    recorder.proc.kill("SIGKILL");
    await recorder.exit;
    const fake = await fakeServer(stale.port, { ok: true, result: { pid: stale.pid, state: "recording" }, pid: stale.pid });
    const err = await sendControl(logs, "ping").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoRecorderError);
    expect((err as Error).message).toMatch(/no recorder is running .*left from pid \d+, which is gone/);
    expect(fake.received).toEqual([]); // the token never reached it
  });

  it("refuses an answer that does not come from the holder of the folder's lock", async () => {
    const logs = await tmpDir();
    await held(logs);
    const port = await freePort();
    await writeFileAtomic(logsPaths(logs).control, JSON.stringify({ pid: process.pid, port, token: "t" }));
    await fakeServer(port, { ok: true, result: "believe me" });
    await expect(sendControl(logs, "ping")).rejects.toThrow(/refusing the answer on port \d+: it comes from a process that does not say its pid/);
    const other = await freePort();
    await writeFileAtomic(logsPaths(logs).control, JSON.stringify({ pid: process.pid, port: other, token: "t" }));
    await fakeServer(other, { ok: true, result: "believe me", pid: process.pid + 1 });
    await expect(sendControl(logs, "ping")).rejects.toThrow(`it comes from pid ${process.pid + 1}, not from the recorder holding the lock`);
  });

  it("believes the holder of the lock, which names itself in each answer", async () => {
    const logs = await tmpDir();
    await held(logs);
    await serve(logs);
    expect(await sendControl(logs, "ping")).toEqual({ cmd: "ping" });
  });
});

describe("the control server", () => {
  it("closes connections beyond its cap at once, and serves again when they are gone", async () => {
    const logs = await tmpDir();
    await held(logs);
    await serve(logs, { maxRequestBytes: 1024, maxConnections: 3, idleMs: 60_000 });
    const idle = [await connect(logs), await connect(logs), await connect(logs)];
    expect(await closedWithin(await connect(logs), 2000)).toBe("closed:");
    for (const s of idle) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(await sendControl(logs, "ping")).toEqual({ cmd: "ping" });
  });

  it("closes a connection that sends no request within its idle time", async () => {
    const logs = await tmpDir();
    await held(logs);
    await serve(logs);
    const started = Date.now();
    expect(await closedWithin(await connect(logs), 5000)).toBe("closed:");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("answers a request over its size with an error and closes the connection", async () => {
    const logs = await tmpDir();
    await held(logs);
    await serve(logs);
    const socket = await connect(logs);
    const closed = closedWithin(socket, 5000);
    socket.write("x".repeat(1025));
    const said = await closed;
    expect(JSON.parse(said.replace(/^closed:/, ""))).toEqual({ ok: false, error: "a request is at most 1024 bytes", pid: process.pid });
  });
});
