// The analytics pane's lines: the headline figures, messages per hour as a sparkline, then a bar chart per section
// of the report (the same sections as `shearwater report`), each line fitted to the pane's width and made safe.
import type { Report } from "../src/report/report.ts";
import { reportSections, summaryLines } from "../src/report/sections.ts";
import { chartLines } from "../src/report/textBars.ts";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { fit } from "../src/text/width.ts";
import { sparkline } from "./format.ts";

export interface AnalyticsLine {
  text: string;
  heading?: boolean;
}

/** What only a full report (a scan of the session) measures: the index's counts leave these empty, not zero. */
const FULL_REPORT_SECTIONS = new Set(["chains", "latency", "tokens-model", "tokens-agent", "cost"]);
const FULL_REPORT_SUMMARY = /^(chains|tokens): /;
const PENDING = "  (comes with the full report, a scan of the session)";

/** `complete` false: the report holds the index's counts only; what the full report brings is marked as coming. */
export function analyticsLines(report: Report | null, width: number, complete = true): AnalyticsLine[] {
  if (!report) return [];
  const summary = summaryLines(report).filter((l) => complete || !FULL_REPORT_SUMMARY.test(l));
  if (!complete) summary.push("chains, reply latency, tokens and cost: with the full report");
  const out: AnalyticsLine[] = summary.map((l) => ({ text: fit(sanitizeForTerminal(l), width) }));
  const hours = Object.values(report.messages_by_hour);
  if (hours.length > 1) out.push({ text: fit(`per hour ${sparkline(hours, Math.max(10, width - 10))}`, width) });
  for (const section of reportSections(report)) {
    const [title, ...bars] = chartLines(section, width);
    const pending = !complete && FULL_REPORT_SECTIONS.has(section.id);
    out.push({ text: "" }, { text: title, heading: true }, ...(pending ? [fit(PENDING, width)] : bars).map((text) => ({ text })));
  }
  return out;
}
