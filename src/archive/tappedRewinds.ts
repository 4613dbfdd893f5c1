// Rewinds a live tap recorded, in an archive. A tap's `transcript_rewound` event comes after the messages it takes
// back and names them by their place in the transcript (src/transcripts/rewindEvent.ts); message and event may reach
// the archive in different pushes (the event in a later pass of `--follow`), even in different sessions of one logs
// folder. With the rows of each batch, in the same transaction, an archive keeps each transcript message's place
// (`places`: record → source, file, line) and the places every event named (`rewinds`: source, file, line); a query
// joins the two, so a message is rewound when its place is among its source's rewinds — as the local index decides
// (src/search/indexRewinds.ts), a source being one logs folder. Search joins them for its hits, a read of lines
// (`view --archive`, the TUI) for each page it reads (rewoundEntries.ts).
//
// Resolved as it is read, not marked on the message's row when the event is stored: a mark would change rows stored
// before, and stored rows are only ever added (the writer role may not change a record, docs/archive-roles.sql),
// while SQLite's contentless full-text rows cannot be changed at all, only rebuilt. The join needs no order between a
// message and its event, and stays small: `rewinds` holds only what events named, looked up in `places` by index.
import { parseRecordLine, type SessionRecord } from "../record.ts";
import { placeOf, placesNamedBy, type SourcePlace } from "../search/indexRewinds.ts";
import type { Filters } from "../search/queryParser.ts";

/** What a row adds to the two tables: a transcript message's place, a rewind event's places. */
export interface RewindFacts {
  place?: SourcePlace;
  named?: SourcePlace[];
}

export function rewindFacts(rec: SessionRecord): RewindFacts {
  const place = placeOf(rec);
  if (place) return { place };
  const named = placesNamedBy(rec);
  return named.length > 0 ? { named } : {};
}

/** The facts of a line already stored (an archive migrated to the tables), none for a line that is no record. */
export function rewindFactsOfLine(line: string): RewindFacts {
  try {
    return rewindFacts(parseRecordLine(line));
  } catch {
    return {};
  }
}

/**
 * Stored lines that may hold facts, as a LIKE pattern each (the parse decides): a message with a `source`, a rewind
 * event. Only a migration scans for them; a push knows them from the rows it parses.
 */
export const MAY_HAVE_FACTS = { message: '%"source"%', event: '%"transcript_rewound"%' };

/** The records a tap's rewind event named (as SQL both backends take). */
export const TAPPED_REWOUND = "SELECT p.record FROM places p JOIN rewinds w ON w.source = p.source AND w.file = p.file AND w.line = p.line";

/**
 * The filters without `has:` when `has:rewound` is among them, and its values: the archive asks for those as
 * "the facet tokens (an imported message's meta.rewound, has:error) or the join" — a tapped message has no token.
 */
export function splitRewound(f: Filters): { rest: Filters; has: string[] | null } {
  return f.has.includes("rewound") ? { rest: { ...f, has: [] }, has: f.has } : { rest: f, has: null };
}
