// A conversation as one self-contained HTML page: inline style, no script, nothing fetched; every text escaped.
import type { MessageRecord } from "../record.ts";
import { sanitizeForTerminal } from "../text/sanitize.ts";
import type { ExportFormat } from "./formats.ts";
import { messageView } from "./messageView.ts";

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
.m{border-left:4px solid #ccc;padding:.25rem 1rem;margin:1rem 0}.m.user{border-color:#2a7ae2}.m.assistant{border-color:#2ea44f}
.m.tool{border-color:#999}.m.system{border-color:#ddd;color:#666}.h{font-size:.85rem;color:#555}.n{color:#888}
pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:.5rem;margin:.25rem 0}details{color:#555}`;

export const html: ExportFormat = {
  head: (title) =>
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body>\n<h1>${esc(title)}</h1>\n`,
  message(rec: MessageRecord, redactor) {
    const v = messageView(rec, redactor);
    const notes = v.notes.length > 0 ? ` <span class="n">· ${esc(v.notes.join(" · "))}</span>` : "";
    const parts = [`<div class="m ${esc(v.role)}"><div class="h"><b>${esc(v.who)}</b> · ${esc(v.role)} · ${esc(v.time)}${notes}</div>`];
    if (v.thinking) parts.push(`<details><summary>thinking</summary><pre>${esc(v.thinking)}</pre></details>`);
    if (v.toolResult) parts.push(`<details><summary>${esc(v.text.split("\n", 1)[0].slice(0, 120))}</summary><pre>${esc(v.text)}</pre></details>`);
    else if (v.text) parts.push(`<pre>${esc(v.text)}</pre>`);
    return `${parts.join("")}</div>\n`;
  },
  tail: () => "</body></html>\n",
};

/** Text for HTML: controls made visible (as on a terminal), markup characters as entities. */
export function esc(text: string): string {
  return sanitizeForTerminal(text, { keepNewlines: true })
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
