// How the viewer over an archive counts its rows, per scope, so that rows already numbered keep their number
// while pushes add lines: each count is made up to a bound (a seq, an id) and pages are read up to that bound.
// A session's lines are counted from the archive's own record of the session (its records and last seq, read in
// one statement, as the push that stored them wrote them in one transaction) and read by seq; every source's by
// id, the lines stored since the last count counted by their ids.
import type { ArchiveStore, LineSelection } from "../../src/archive/archiveStore.ts";

/** How many rows, counted up to which bound. */
export interface Extent {
  total: number;
  upTo: number;
}

export interface ArchiveExtent {
  /** The rows as the archive holds them now, given the count before. */
  next(before: Extent): Promise<Extent>;
  /** The lines counted by an extent. */
  lines(upTo: number): LineSelection;
}

/** One session of one source (its source given: session ids are a folder's own). */
export function sessionExtent(archive: ArchiveStore, source: string, session: string): ArchiveExtent {
  return {
    async next(before) {
      const s = (await archive.sessions()).find((x) => x.source === source && x.session === session);
      return s && s.lastSeq > before.upTo ? { total: s.records, upTo: s.lastSeq } : before;
    },
    lines: (upTo) => ({ session, sources: [source], upToSeq: upTo }),
  };
}

/**
 * Every source's lines in the order stored. A line committed late under an id below the bound (two hosts pushing
 * at once) is not counted until the view is opened again.
 */
export function everySourceExtent(archive: ArchiveStore): ArchiveExtent {
  return {
    async next(before) {
      const [newest] = await archive.lines({ afterId: before.upTo, tail: 1 });
      if (!newest) return before;
      const added = await archive.count({ afterId: before.upTo, upToId: newest.id });
      return { total: before.total + added, upTo: newest.id };
    },
    lines: (upTo) => ({ upToId: upTo }),
  };
}
