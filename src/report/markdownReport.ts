// `shearwater report --md`: the headline figures and a table per section, with the bars as text.
import { sanitizeForTerminal } from "../text/sanitize.ts";
import type { Report } from "./report.ts";
import { reportSections, summaryLines } from "./sections.ts";
import { barText, formatValue } from "./textBars.ts";

export function markdownReport(r: Report): string {
  const out = [`# Shearwater report`, "", ...summaryLines(r).map((l) => `- ${cell(l)}`)];
  for (const s of reportSections(r)) {
    out.push("", `## ${s.title}`, "");
    if (s.bars.length === 0) {
      out.push("(none)");
      continue;
    }
    const max = Math.max(...s.bars.map((b) => b.value)) || 1;
    out.push(`| ${s.id === "latency" ? "pair" : "name"} | ${s.unit} | | |`, "|---|---:|---|---|");
    for (const b of s.bars) out.push(`| ${cell(b.label)} | ${formatValue(b.value)} | ${barText(b.value / max, 20)} | ${cell(b.note ?? "")} |`);
    if (s.more) out.push("", `… ${s.more} more`);
  }
  return `${out.join("\n")}\n`;
}

/** Text from messages inside a table cell: no line breaks, pipes and markup escaped, controls made inert. */
function cell(text: string): string {
  return sanitizeForTerminal(text).replace(/[\\|*_`<>[\]#]/g, (c) => `\\${c}`);
}
