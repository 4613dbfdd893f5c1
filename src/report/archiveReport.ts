// `shearwater report --archive URL`: the same report over a team archive — every source, or those `--host` and
// `--origin` pick (as `host:` and `origin:` do in an archive search), one session with `--session` — its lines
// streamed from the archive a page at a time (archiveReading.ts readLines) through the one ReportBuilder.
import { readLines } from "../archive/archiveReading.ts";
import { pickSources } from "../archive/archiveSearch.ts";
import { openArchive } from "../archive/openArchive.ts";
import { defaultPrices, type PriceTable } from "./prices.ts";
import type { Report } from "./report.ts";
import { ReportBuilder, type TimeRange } from "./reportBuilder.ts";

export interface ArchiveReportOptions {
  /** Host names of the sources' logs folders. */
  hosts?: string[];
  /** Source ids (or their beginning) or folder paths. */
  origins?: string[];
  session?: string;
  range?: TimeRange;
  prices?: PriceTable;
}

/** Sessions named in a report's scope; more are counted, not named. */
const SESSIONS_NAMED = 1_000;

export async function makeArchiveReport(url: string, opts: ArchiveReportOptions = {}): Promise<Report> {
  const store = await openArchive(url, "read");
  try {
    const filters = { host: (opts.hosts ?? []).map((h) => h.toLowerCase()), origin: opts.origins ?? [] };
    const picked = pickSources(await store.sources(), filters);
    if (picked?.length === 0) throw new Error(`no source of the archive matches ${describe(filters)}`);
    const builder = new ReportBuilder(opts.range);
    const sessions = new Set<string>();
    for await (const line of readLines(store, { session: opts.session, sources: picked?.map((s) => s.id) })) {
      builder.add(line.line, line.source);
      if (sessions.size < SESSIONS_NAMED) sessions.add(line.session);
    }
    if (opts.session !== undefined && sessions.size === 0) throw new Error(`no session "${opts.session}" in the archive${picked ? ` from ${describe(filters)}` : ""}`);
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    const what = `the archive${picked ? ` (${picked.length === 1 ? "1 source" : `${picked.length} sources`}: ${describe(filters)})` : ""}${opts.session ? `, session ${opts.session}` : ""}`;
    const scope = { what, sessions: [...sessions], since: iso(opts.range?.since), until: iso(opts.range?.until) };
    return builder.finish(scope, opts.prices ?? defaultPrices());
  } finally {
    await store.close();
  }
}

/** "host a or b, origin c": a source must match one of each given. */
function describe(f: { host: string[]; origin: string[] }): string {
  const part = (name: string, values: string[]) => (values.length ? `${name} ${values.join(" or ")}` : "");
  return [part("host", f.host), part("origin", f.origin)].filter(Boolean).join(", ");
}
