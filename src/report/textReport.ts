// `shearwater report` on a terminal: the headline figures, then a bar chart per section.
import { sanitizeForTerminal } from "../text/sanitize.ts";
import type { Report } from "./report.ts";
import { reportSections, summaryLines } from "./sections.ts";
import { chartLines } from "./textBars.ts";

export function textReport(r: Report, width: number): string {
  const out = summaryLines(r).map((l) => sanitizeForTerminal(l));
  for (const section of reportSections(r)) out.push("", ...chartLines(section, width).map((l) => l.trimEnd()));
  return `${out.join("\n")}\n`;
}
