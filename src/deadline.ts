// Waiting for work with a time limit, where giving up is an answer (a stop that must end in time), not an error.

/** Whether `work` settles within `ms` (Infinity: it is simply awaited). A rejection counts as settled. */
export async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = work.then(
    () => true,
    () => true,
  );
  if (ms === Infinity) return settled;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
