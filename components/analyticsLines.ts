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

export function analyticsLines(report: Report | null, width: number): AnalyticsLine[] {
  if (!report) return [];
  const out: AnalyticsLine[] = summaryLines(report).map((l) => ({ text: fit(sanitizeForTerminal(l), width) }));
  const hours = Object.values(report.messages_by_hour);
  if (hours.length > 1) out.push({ text: fit(`per hour ${sparkline(hours, Math.max(10, width - 10))}`, width) });
  for (const section of reportSections(report)) {
    const [title, ...bars] = chartLines(section, width);
    out.push({ text: "" }, { text: title, heading: true }, ...bars.map((text) => ({ text })));
  }
  return out;
}
