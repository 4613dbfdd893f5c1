// One recorder per logs folder. The lock file names its holder (pid, start time, host); a holder whose process is
// gone (even after SIGKILL) is noticed at once by a liveness check on its pid, not by waiting for a timeout.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import { ensureLogsDir, logsPaths } from "./logsDir.ts";
import { openPrivate, readPrivateFile, UnsafeFileError } from "./privateFile.ts";

export interface LockOwner {
  pid: number;
  started_at: string;
  hostname: string;
  /** Kernel start time of the process (Linux), so a pid reused by another process is not taken for the holder. */
  proc_start?: string;
}

export class LockHeldError extends Error {
  constructor(readonly owner: LockOwner, readonly logsDir: string) {
    super(`another recorder (pid ${owner.pid}, started ${owner.started_at}) already records into ${logsDir}`);
  }
}

export interface RecorderLock {
  readonly owner: LockOwner;
  release(): Promise<void>;
}

/** Lock files held by this process: a lock naming our own pid that is not in here is a leftover (pid reused). */
const heldHere = new Set<string>();
/** A take-over guard older than this belongs to a process that died while taking over. */
const GUARD_STALE_MS = 10_000;

export async function acquireLock(logsDir: string): Promise<RecorderLock> {
  const { lock, root } = await ensureLogsDir(logsDir);
  const me = thisProcess();
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await createLockFile(lock, me)) {
      heldHere.add(lock);
      return { owner: me, release: () => releaseLock(lock, me) };
    }
    const owner = await readOwnerFile(lock);
    if (owner && isAlive(owner, lock)) throw new LockHeldError(owner, root);
    await removeStaleLock(lock, owner);
  }
  throw new Error(`could not take the lock ${lock}: it keeps changing hands`);
}

/** The holder of the lock and whether it still runs; null when nobody holds it. */
export async function readLockOwner(logsDir: string): Promise<(LockOwner & { alive: boolean }) | null> {
  const { lock } = logsPaths(logsDir);
  const owner = await readOwnerFile(lock);
  return owner && { ...owner, alive: isAlive(owner, lock) };
}

function thisProcess(): LockOwner {
  const start = procStart(process.pid);
  return {
    pid: process.pid,
    started_at: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    hostname: os.hostname(),
    ...(start ? { proc_start: start } : {}),
  };
}

/** Creates the lock with its content in one step: a hard link of a fully written temp file (fails if it exists). */
async function createLockFile(lock: string, me: LockOwner): Promise<boolean> {
  const tmp = `${lock}.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    const fh = await openPrivate(tmp, "wx");
    try {
      await fh.writeFile(JSON.stringify(me));
    } finally {
      await fh.close();
    }
    await fs.link(tmp, lock);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function readOwnerFile(lock: string): Promise<LockOwner | null> {
  try {
    const owner = JSON.parse(await readPrivateFile(lock)) as LockOwner;
    return typeof owner.pid === "number" ? owner : null;
  } catch (err) {
    if (err instanceof UnsafeFileError) throw err; // planted: never taken for a stale lock of ours and removed
    return null; // none, or unreadable content: no live holder (the file is always written whole, see createLockFile)
  }
}

function isAlive(owner: LockOwner, lock: string): boolean {
  if (owner.hostname !== os.hostname()) return true; // a shared folder: we cannot see the other machine's processes
  if (owner.pid === process.pid) return heldHere.has(lock);
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const start = owner.proc_start && procStart(owner.pid);
  return !start || start === owner.proc_start;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot (Linux only). */
function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * Removes a lock whose holder is dead. A folder guard serializes take-overs, and the owner is read again under it,
 * so two processes that both saw the same dead holder never remove a lock the first of them just created.
 */
async function removeStaleLock(lock: string, seen: LockOwner | null): Promise<void> {
  const guard = `${lock}.takeover`;
  try {
    await fs.mkdir(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const stat = await fs.stat(guard).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > GUARD_STALE_MS) await fs.rm(guard, { recursive: true, force: true });
    else await new Promise((r) => setTimeout(r, 20));
    return;
  }
  try {
    const now = await readOwnerFile(lock);
    const same = JSON.stringify(now) === JSON.stringify(seen);
    if (same && !(now && isAlive(now, lock))) await fs.rm(lock, { force: true });
  } finally {
    await fs.rm(guard, { recursive: true, force: true });
  }
}

async function releaseLock(lock: string, me: LockOwner): Promise<void> {
  heldHere.delete(lock);
  const owner = await readOwnerFile(lock);
  if (owner && owner.pid === me.pid && owner.started_at === me.started_at) await fs.rm(lock, { force: true });
}
