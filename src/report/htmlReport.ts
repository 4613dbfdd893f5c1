// `shearwater report --html FILE`: one self-contained page (inline style and SVG; no script, nothing fetched) with
// the headline figures and an SVG bar chart per section. Every text from the sessions is escaped.
import { esc } from "../export/html.ts";
import type { Report } from "./report.ts";
import { reportSections, summaryLines, type ChartSection } from "./sections.ts";
import { formatValue } from "./textBars.ts";

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}
section{margin:2rem 0}h2{font-size:1.1rem;margin:0 0 .5rem}svg text{font:12px system-ui,sans-serif;fill:#333}
rect.bar{fill:#2a7ae2}.none{color:#888}ul{padding-left:1.2rem}`;

const ROW = 22;
const LABEL = 200;
const BAR = 420;
const VALUE = 320;

export function htmlReport(r: Report): string {
  const head = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>Shearwater report</title><style>${STYLE}</style></head><body>\n<h1>Shearwater report</h1>\n`;
  const summary = `<ul>${summaryLines(r).map((l) => `<li>${esc(l)}</li>`).join("")}</ul>\n`;
  return `${head}${summary}${reportSections(r).map(chart).join("")}</body></html>\n`;
}

function chart(s: ChartSection): string {
  const title = `<h2>${esc(s.title)}${s.unit ? ` (${esc(s.unit)})` : ""}</h2>`;
  if (s.bars.length === 0) return `<section id="chart-${s.id}">${title}<p class="none">(none)</p></section>\n`;
  const max = Math.max(...s.bars.map((b) => b.value)) || 1;
  const bars = s.bars.map((b, i) => {
    const y = i * ROW;
    const w = Math.max(1, Math.round((b.value / max) * BAR));
    const value = `${formatValue(b.value)}${b.note ? ` · ${b.note}` : ""}`;
    return `<g><title>${esc(`${b.label}: ${value}`)}</title>` +
      `<text x="${LABEL - 6}" y="${y + 15}" text-anchor="end">${esc(shorten(b.label, 28))}</text>` +
      `<rect class="bar" x="${LABEL}" y="${y + 3}" width="${w}" height="${ROW - 6}" data-value="${b.value}"/>` +
      `<text x="${LABEL + w + 6}" y="${y + 15}">${esc(shorten(value, 60))}</text></g>`;
  });
  const height = s.bars.length * ROW;
  const more = s.more ? `<p class="none">… ${s.more} more</p>` : "";
  return `<section id="chart-${s.id}">${title}<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL + BAR + VALUE}" height="${height}" ` +
    `viewBox="0 0 ${LABEL + BAR + VALUE} ${height}" role="img" aria-label="${esc(s.title)}">${bars.join("")}</svg>${more}</section>\n`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
