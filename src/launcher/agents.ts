// The agents connected to a logs folder's recorder, so that several agents share one recorder and it stops when the
// last one leaves. A small JSON file, changed only under a lock and rewritten atomically; every entry carries the
// agent's pid so that an agent that died without saying goodbye is noticed (and dropped) by the next change.
import { randomBytes } from "node:crypto";
import path from "node:path";
import lockfile from "proper-lockfile";
import { processExists } from "../control/recorderStatus.ts";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { ensureLogsDir } from "../storage/logsDir.ts";
import { readPrivateFile } from "../storage/privateFile.ts";

export const AGENTS_FILE = "agents.json";
const LOCK_DIR = "agents.lock";

export interface AgentEntry {
  id: string;
  name: string;
  /** The agent's process; null when no process can stand for it (then only `stop --agent NAME` removes it). */
  pid: number | null;
  since: string;
  /** This agent asked that the recorder keep running after it leaves, even when it is the last. */
  keepRunning?: boolean;
}

/** The registry as seen while holding its lock. */
export interface AgentRegistry {
  /** Live agents (entries whose process is gone were dropped when the lock was taken). */
  readonly agents: readonly AgentEntry[];
  add(name: string, pid: number | null, keepRunning?: boolean): AgentEntry;
  /** Removes the entries that match and returns them. */
  remove(match: (a: AgentEntry) => boolean): AgentEntry[];
}

/** Runs `fn` holding the folder's agents lock; changes are written atomically before the lock is released. */
export async function withAgentRegistry<T>(logsDir: string, fn: (reg: AgentRegistry) => Promise<T>): Promise<T> {
  const root = path.resolve(logsDir);
  await ensureLogsDir(root); // never another user's folder
  const release = await lockfile.lock(root, {
    lockfilePath: path.join(root, LOCK_DIR),
    realpath: false,
    // A launch holds the lock while a recorder starts (seconds); waiting agents retry for up to about a minute.
    retries: { retries: 240, minTimeout: 25, maxTimeout: 250 },
    stale: 10_000,
  });
  try {
    const stored = await readEntries(root);
    let agents = stored.filter((a) => a.pid === null || processExists(a.pid));
    let changed = agents.length !== stored.length;
    const reg: AgentRegistry = {
      get agents() {
        return agents;
      },
      add(name, pid, keepRunning) {
        const since = new Date().toISOString();
        const entry: AgentEntry = { id: randomBytes(4).toString("hex"), name, pid, since, ...(keepRunning && { keepRunning }) };
        agents = [...agents, entry];
        changed = true;
        return entry;
      },
      remove(match) {
        const gone = agents.filter(match);
        agents = agents.filter((a) => !match(a));
        changed ||= gone.length > 0;
        return gone;
      },
    };
    const result = await fn(reg);
    if (changed) await writeFileAtomic(path.join(root, AGENTS_FILE), JSON.stringify({ agents }, null, 2) + "\n");
    return result;
  } finally {
    await release();
  }
}

/** The live agents, read without the lock (for status displays). */
export async function connectedAgents(logsDir: string): Promise<AgentEntry[]> {
  const entries = await readEntries(path.resolve(logsDir));
  return entries.filter((a) => a.pid === null || processExists(a.pid));
}

async function readEntries(root: string): Promise<AgentEntry[]> {
  try {
    const data = JSON.parse(await readPrivateFile(path.join(root, AGENTS_FILE))) as { agents?: AgentEntry[] };
    return Array.isArray(data.agents) ? data.agents : [];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    if (err instanceof SyntaxError) return []; // only ever written atomically; unreadable means foreign: start over
    throw err;
  }
}
