// `view --archive`: an archive's records printed by `view`'s own output (the same lines, the same --json), read
// through the archive's reading API; --follow asks the archive for what was stored since, until Ctrl+C.
import { entriesOf, followEntries, lastLineId, viewLines, archiveUrlOf } from "../archive/archiveReading.ts";
import { openArchive } from "../archive/openArchive.ts";
import { UsageError } from "../config.ts";
import type { Entry } from "../storage/entry.ts";
import { untilInterrupted } from "./untilInterrupted.ts";

/** What `view` prints entries through. */
export interface EntrySink {
  writeAll(entries: AsyncIterable<Entry> | Iterable<Entry>, opts?: { live?: boolean }): Promise<void>;
  flush(): Promise<void>;
  onClosed: (() => void) | null;
}

export interface ArchiveViewOptions {
  session?: string;
  checkpoint?: string;
  tail?: number;
  follow?: boolean;
}

export async function viewArchive(flag: string | true, opts: ArchiveViewOptions, out: EntrySink): Promise<void> {
  if (opts.follow && (opts.session || opts.checkpoint)) throw new UsageError("--follow with --archive follows every source: without --session or --checkpoint");
  const store = await openArchive(archiveUrlOf(flag), "read");
  try {
    const from = opts.follow ? await lastLineId(store) : 0;
    await out.writeAll(await entriesOf(store, await viewLines(store, opts)));
    await out.flush();
    if (!opts.follow) return;
    await untilInterrupted(out, (signal) => out.writeAll(followEntries(store, from, signal), { live: true }));
  } finally {
    await out.flush();
    await store.close();
  }
}
