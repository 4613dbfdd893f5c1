// A search thread's side (a worker thread, built as dist/searchWorker.js): runs the queries searchThread.ts hands it,
// one message per hit, and stops a query's stream when told it was typed past.
import { parentPort, workerData } from "node:worker_threads";
import type { SearchReply, SearchRequest } from "./searchThread.ts";
import { searchHits } from "./searchHits.ts";

const { logsDir } = workerData as { logsDir: string };
const port = parentPort!;
const running = new Map<number, AbortController>();
const reply = (r: SearchReply) => port.postMessage(r);

port.on("message", (m: SearchRequest) => {
  if ("cancel" in m) return void running.get(m.cancel)?.abort();
  const abort = new AbortController();
  running.set(m.id, abort);
  searchHits(logsDir, m.query, {
    signal: abort.signal,
    onHit: (hit) => reply({ id: m.id, hit }),
    onProgress: (progress) => reply({ id: m.id, progress }),
  }).then(
    () => reply({ id: m.id, done: true }),
    (err: unknown) => reply({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
  ).finally(() => running.delete(m.id));
});
