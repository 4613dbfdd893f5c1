// What `search --archive` and `view --archive` read: an archive opened read-only (a reader role is enough), its
// lines handed out as the entries a logs folder's readers give, a tap's rewinds marked as they mark them, so the
// commands print them the same way.
import { setTimeout as sleep } from "node:timers/promises";
import { UsageError } from "../config.ts";
import { parseRecordLine, type SessionRecord } from "../record.ts";
import type { Query } from "../search/queryParser.ts";
import { parseArchiveUrl, resolveArchiveUrl } from "./archiveUrl.ts";
import { searchArchive, type ArchiveHit } from "./archiveSearch.ts";
import type { ArchivedLine, ArchiveStore, LineSelection } from "./archiveStore.ts";
import { openArchive } from "./openArchive.ts";
import { markTappedRewinds, type ArchivedEntry } from "./rewoundEntries.ts";

/** `--archive URL`, or `--archive` alone for SHEARWATER_ARCHIVE. */
export function archiveUrlOf(flag: string | true): string {
  const url = resolveArchiveUrl(flag === true ? undefined : flag);
  if (!url) throw new UsageError("--archive needs a URL (or SHEARWATER_ARCHIVE set)");
  parseArchiveUrl(url);
  return url;
}

export async function searchArchiveAt(flag: string | true, query: Query, limit: number): Promise<ArchiveHit[]> {
  const store = await openArchive(archiveUrlOf(flag), "read");
  try {
    return await searchArchive(store, query, { limit });
  } finally {
    await store.close();
  }
}

export interface ArchiveView {
  session?: string;
  checkpoint?: string;
  tail?: number;
}

/** The lines a view asks for: a checkpoint's, a session's, or every source's in time order. */
export async function viewLines(store: ArchiveStore, view: ArchiveView): Promise<ArchivedLine[]> {
  if (view.checkpoint === undefined) return store.lines({ session: view.session, tail: view.tail });
  const found = await store.checkpoint(view.checkpoint);
  if (found.length === 0) throw new Error(`no checkpoint "${view.checkpoint}" in the archive`);
  if (found.length > 1) throw new Error(`checkpoint "${view.checkpoint}" is in ${found.length} sources of the archive: ${found.map((c) => c.source).join(", ")}`);
  const cp = found[0];
  return store.lines({ session: cp.session, upToSeq: cp.last_seq, sources: [cp.source], tail: view.tail });
}

/** How many lines a streaming read asks the archive for at a time. */
const READ_PAGE = 5_000;

/**
 * The lines of a selection (a session, a checkpoint's prefix, some sources, all), streamed in the order stored —
 * within a session that is seq order — a page at a time, so a report reads a large archive in bounded memory.
 */
export async function* readLines(store: ArchiveStore, sel: Omit<LineSelection, "tail" | "skip" | "limit" | "afterId">): AsyncGenerator<ArchivedLine> {
  let last = 0;
  for (;;) {
    const page = await store.lines({ ...sel, afterId: last, limit: READ_PAGE });
    for (const line of page) yield line;
    if (page.length < READ_PAGE) return;
    last = page.at(-1)!.id;
  }
}

/** The entries of the lines stored after `afterId`, as they arrive (marked a page at a time), until the signal. */
export async function* followEntries(store: ArchiveStore, afterId: number, signal: AbortSignal, pollMs = 500): AsyncGenerator<ArchivedEntry> {
  let last = afterId;
  while (!signal.aborted) {
    for (const entry of await entriesOf(store, await store.lines({ afterId: last }))) {
      last = entry.id;
      yield entry;
    }
    await sleep(pollMs, undefined, { signal }).catch(() => {});
  }
}

/** The id of the line stored last: following starts after it (lines after an id come in the order stored). */
export async function lastLineId(store: ArchiveStore): Promise<number> {
  return (await store.lines({ afterId: 0, tail: 1 })).at(-1)?.id ?? 0;
}

/**
 * A page of archived lines as a reader's entries, each message a tap's rewind event named marked rewound as a local
 * reader marks it (rewoundEntries.ts: one query for the page).
 */
export async function entriesOf(store: ArchiveStore, lines: ArchivedLine[]): Promise<ArchivedEntry[]> {
  const entries = lines.map(entryOf);
  await markTappedRewinds(store, entries);
  return entries;
}

/** An archived line as an entry (a line that is not a record, which push never stores, is marked damaged). */
function entryOf(line: ArchivedLine): ArchivedEntry {
  let record: SessionRecord | null = null;
  let damaged: string | undefined;
  try {
    record = parseRecordLine(line.line);
  } catch (err) {
    damaged = (err as Error).message;
  }
  return { id: line.id, index: -1, offset: line.offset, length: Buffer.byteLength(line.line), record, damaged, raw: line.line };
}
