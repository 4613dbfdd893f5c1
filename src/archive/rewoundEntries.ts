// The entries an archive's lines are read as, and the marks a live tap's rewinds give them there: the archive knows
// which messages a rewind event named by joining its tables (tappedRewinds.ts), asked for a page of lines at a time,
// and a reader marks them as a local reader marks them (RewoundMarks sets meta.rewound, which speakerOf and isAside
// read), the stored line left as it is.
import { placeOf } from "../search/indexRewinds.ts";
import type { Entry } from "../storage/entry.ts";
import type { ArchiveStore } from "./archiveStore.ts";

/** An archived line as a reader's entry, with the id it is stored under. */
export interface ArchivedEntry extends Entry {
  readonly id: number;
}

/**
 * Marks rewound the entries whose messages a tap's rewind event named: one query for all of them, none when no entry
 * is a transcript message not marked yet. Returns the entries it marked.
 */
export async function markTappedRewinds(store: ArchiveStore, entries: ArchivedEntry[]): Promise<ArchivedEntry[]> {
  const open = entries.filter((e) => e.record?.kind === "message" && !e.record.meta.rewound && placeOf(e.record));
  if (open.length === 0) return [];
  const named = await store.tappedRewound(open.map((e) => e.id));
  const marked = open.filter((e) => named.has(e.id));
  for (const e of marked) if (e.record?.kind === "message") e.record.meta.rewound = true;
  return marked;
}
