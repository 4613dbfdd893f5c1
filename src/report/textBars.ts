// Bar charts as terminal text: a label column, a bar of block characters (eighths for the last cell) and the value.
// Labels come from messages: sanitized before a terminal sees them, and fitted to their column.
import { sanitizeForTerminal } from "../text/sanitize.ts";
import { fit } from "../text/width.ts";
import type { ChartSection } from "./sections.ts";

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** A bar `fraction` (0…1) of `cells` columns long. */
export function barText(fraction: number, cells: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, fraction)) * cells * 8);
  return "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** One chart: a title line, then a line per bar, each exactly `width` columns. */
export function chartLines(section: ChartSection, width: number): string[] {
  const lines = [fit(`${section.title}${section.unit ? ` (${section.unit})` : ""}`, width)];
  if (section.bars.length === 0) return [...lines, fit("  (none)", width)];
  const labelWidth = Math.min(24, Math.max(...section.bars.map((b) => b.label.length)) + 1);
  const values = section.bars.map((b) => formatValue(b.value));
  const valueWidth = Math.max(...values.map((v) => v.length));
  const barCells = Math.max(4, Math.min(40, width - labelWidth - valueWidth - 6));
  const max = Math.max(...section.bars.map((b) => b.value)) || 1;
  section.bars.forEach((b, i) => {
    const bar = barText(b.value / max, barCells).padEnd(barCells);
    const note = b.note ? `  ${sanitizeForTerminal(b.note)}` : "";
    lines.push(fit(`  ${fit(sanitizeForTerminal(b.label), labelWidth)} ${bar} ${values[i].padStart(valueWidth)}${note}`, width));
  });
  if (section.more) lines.push(fit(`  … ${section.more} more`, width));
  return lines;
}

export function formatValue(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : n.toLocaleString("en-US", { maximumFractionDigits: 2 });
}
