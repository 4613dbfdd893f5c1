// The search of an archive: the same query language and result shape as a logs folder's (src/search/search.ts),
// across every source, `host:` / `origin:` picking sources. As the local index does: messages with the words as
// typed first, then those found only through a typo; snippets marked by the same matcher.
import { isMessage, parseRecordLine } from "../record.ts";
import { Matcher } from "../search/matcher.ts";
import type { Filters, Query } from "../search/queryParser.ts";
import { docFields } from "../search/recordFields.ts";
import type { SearchHit } from "../search/search.ts";
import { hitFields } from "../search/hitFields.ts";
import type { ArchiveMatch, ArchiveStore, SourceStatus } from "./archiveStore.ts";
import type { SourceInfo } from "./sourceIdentity.ts";

/** A hit of an archive: a local hit's fields, `source: "archive"`, and the logs folder it came from. */
export type ArchiveHit = Omit<SearchHit, "source"> & { source: "archive"; origin: SourceInfo };

export async function searchArchive(store: ArchiveStore, query: Query, { limit }: { limit: number }): Promise<ArchiveHit[]> {
  const known = await store.sources();
  const picked = pickSources(known, query.filters);
  if (picked?.length === 0) return [];
  const words = await Promise.all(query.words.map((w) => store.wordMatch(w)));
  const request = { query, words, sources: picked?.map((s) => s.id), limit };
  const exact = await store.matches({ ...request, withTypos: false });
  let found = exact;
  if (exact.length < limit && words.some((w) => w.typos.length > 0)) {
    const seen = new Set(exact.map(keyOf));
    const typos = await store.matches({ ...request, withTypos: true, limit: limit + exact.length });
    found = [...exact, ...typos.filter((m) => !seen.has(keyOf(m))).slice(0, limit - exact.length)];
  }
  const byId = new Map(known.map((s) => [s.id, s]));
  const matcher = new Matcher(query);
  return found.flatMap((m) => {
    const hit = hitOf(m, byId.get(m.source), matcher);
    return hit ? [hit] : [];
  });
}

/** The sources `host:` and `origin:` (a source id or its beginning, or a folder's path) pick; undefined: every one. */
export function pickSources(sources: SourceStatus[], f: Pick<Filters, "host" | "origin">): SourceStatus[] | undefined {
  if (f.host.length === 0 && f.origin.length === 0) return undefined;
  return sources.filter(
    (s) =>
      (f.host.length === 0 || f.host.includes(s.host.toLowerCase())) &&
      (f.origin.length === 0 || f.origin.some((o) => s.folder === o || s.id.startsWith(o.toLowerCase()))),
  );
}

function keyOf(m: ArchiveMatch): string {
  return `${m.source}/${m.session}/${m.seq}`;
}

function hitOf(m: ArchiveMatch, source: SourceStatus | undefined, matcher: Matcher): ArchiveHit | null {
  let rec;
  try {
    rec = parseRecordLine(m.line);
  } catch {
    return null;
  }
  if (!isMessage(rec)) return null;
  const fields = docFields(rec);
  fields.rewound ||= m.rewound;
  return {
    ...hitFields(m, rec, fields, m.score, matcher),
    source: "archive",
    origin: { id: m.source, host: source?.host ?? "", folder: source?.folder ?? "" },
  };
}
