// The index worker: a child process, so index building never competes with the recorder or the TUI for their
// event loop. `indexWorker.ts LOGS_DIR once|follow`. One worker per logs folder (a lock in metadata_index/):
// a second one in `once` mode leaves at once, in `follow` mode it waits its turn. Progress goes to the parent
// over IPC when there is one; a worker in `follow` mode stops when its parent goes away.
import fs from "node:fs";
import path from "node:path";
import lockfile from "proper-lockfile";
import { logsPaths } from "../storage/logsDir.ts";
import { followIndex, indexOnce, type IndexProgress } from "./indexer.ts";

export type WorkerMessage = { type: "progress"; progress: IndexProgress } | { type: "busy" };

const [logsDir, mode] = process.argv.slice(2);
const ac = new AbortController();
process.on("disconnect", () => ac.abort());
process.on("SIGTERM", () => ac.abort());
process.on("SIGINT", () => ac.abort());

function send(msg: WorkerMessage): void {
  if (process.connected) process.send?.(msg);
}

let last = 0;
function onProgress(progress: IndexProgress): void {
  const now = Date.now();
  if (now - last < 100 && progress.bytesDone < progress.bytesTotal) return;
  last = now;
  send({ type: "progress", progress });
}

async function acquire(): Promise<(() => Promise<void>) | null> {
  const dir = logsPaths(logsDir).index;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const opts = { lockfilePath: path.join(dir, "indexer.lock"), stale: 10_000, onCompromised: () => ac.abort() };
  for (;;) {
    try {
      return await lockfile.lock(dir, opts);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ELOCKED" || mode !== "follow" || ac.signal.aborted) return null;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

const release = await acquire();
if (!release) {
  send({ type: "busy" });
} else {
  try {
    if (mode === "follow") await followIndex(logsDir, { signal: ac.signal, onProgress });
    else onProgress(await indexOnce(logsDir, onProgress));
  } finally {
    await release().catch(() => undefined);
  }
}
process.disconnect?.();
