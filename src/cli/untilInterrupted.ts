// `--follow` runs until the user stops it: Ctrl+C, SIGTERM, or the reader of its output going away (`| head`).

/** Runs `work` with a signal aborted by any of those, and lets go of the process's signals afterwards. */
export async function untilInterrupted<T>(out: { onClosed: (() => void) | null }, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  out.onClosed = stop;
  try {
    return await work(ac.signal);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
