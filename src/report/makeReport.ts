// A report of a logs folder: the lines of what it covers streamed through one ReportBuilder.
import { defaultPrices, type PriceTable } from "./prices.ts";
import type { Report } from "./report.ts";
import { ReportBuilder, type TimeRange } from "./reportBuilder.ts";
import { openSource, type ReportSource } from "./reportScope.ts";

export interface ReportOptions {
  source?: ReportSource;
  range?: TimeRange;
  prices?: PriceTable;
}

export async function makeReport(logsDir: string, opts: ReportOptions = {}): Promise<Report> {
  const range = opts.range ?? {};
  const source = await openSource(logsDir, opts.source ?? "current");
  const builder = new ReportBuilder(range);
  for await (const batch of source.batches) for (const entry of batch) builder.add(entry.raw);
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const scope = { what: source.what, sessions: source.sessions, since: iso(range.since), until: iso(range.until), ...(source.leftOut?.length ? { left_out: source.leftOut } : {}) };
  return builder.finish(scope, opts.prices ?? defaultPrices());
}
