import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { acquireLock, LockHeldError, readLockOwner } from "../../src/storage/lock.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";

const HOLDER = fileURLToPath(new URL("./fixtures/holdLock.ts", import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

async function holdInChild(logsDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", HOLDER, logsDir], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes("locked"), { what: "the child to take the lock" });
  return child;
}

describe("the recorder lock", () => {
  it("lets one holder in, names it to the next, and is free again after release", async () => {
    const dir = await tmpDir();
    const lock = await acquireLock(dir);
    const err = await acquireLock(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockHeldError);
    expect((err as LockHeldError).owner.pid).toBe(process.pid);
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    expect(await readLockOwner(dir)).toMatchObject({ pid: process.pid, alive: true });
    await lock.release();
    expect(await readLockOwner(dir)).toBeNull();
    await (await acquireLock(dir)).release();
  });

  it("refuses while another process holds it and takes over at once after that process is SIGKILLed", async () => {
    const dir = await tmpDir();
    const child = await holdInChild(dir);
    const owner = await readLockOwner(dir);
    expect(owner).toMatchObject({ pid: child.pid, alive: true });
    await expect(acquireLock(dir)).rejects.toThrow(`pid ${child.pid}`);

    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
    expect(await readLockOwner(dir)).toMatchObject({ pid: child.pid, alive: false });
    const t0 = Date.now();
    const lock = await acquireLock(dir);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(lock.owner.pid).toBe(process.pid);
    await lock.release();
  });

  it.skipIf(!existsSync("/proc/1/stat"))("takes over a lock whose pid now belongs to another process (pid reused)", async () => {
    const dir = await tmpDir();
    // pid 1 exists, but it did not start at kernel tick 1: the lock is a leftover whose pid was reused.
    const stale = { pid: 1, started_at: "2020-01-01T00:00:00.000Z", hostname: os.hostname(), proc_start: "1" };
    await fs.writeFile(logsPaths(dir).lock, JSON.stringify(stale));
    expect(await readLockOwner(dir)).toMatchObject({ pid: 1, alive: false });
    const lock = await acquireLock(dir);
    expect(lock.owner.pid).toBe(process.pid);
    await lock.release();
  });

  it("two processes racing for a dead holder's lock: exactly one wins", async () => {
    const dir = await tmpDir();
    const child = await holdInChild(dir);
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
    const racers = await Promise.all([spawnRacer(dir), spawnRacer(dir), spawnRacer(dir)]);
    expect(racers.filter((r) => r === "won")).toHaveLength(1);
  });
});

const RACER = `
import { acquireLock } from ${JSON.stringify(new URL("../../src/storage/lock.ts", import.meta.url).href)};
try { await acquireLock(process.argv[1]); console.log("won"); } catch (e) { console.log("lost"); }
setInterval(() => {}, 1 << 30); // a winner keeps holding the lock until the test ends
`;

async function spawnRacer(dir: string): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", RACER, dir], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  return (await waitFor(() => out.trim(), { what: "the racer's outcome" })) as string;
}
