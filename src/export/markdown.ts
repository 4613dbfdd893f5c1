// A conversation as Markdown: a heading per message (who, role, time, notes), its text, thinking and tool output
// folded in <details>. Safe to print on a terminal: control characters are made visible.
import type { MessageRecord } from "../record.ts";
import { sanitizeForTerminal } from "../text/sanitize.ts";
import { messageView } from "./messageView.ts";
import type { ExportFormat } from "./formats.ts";

const clean = (s: string) => sanitizeForTerminal(s, { keepNewlines: true });

export const markdown: ExportFormat = {
  head: (title) => `# ${clean(title).replace(/\n/g, " ")}\n\n`,
  message(rec: MessageRecord, redactor) {
    const v = messageView(rec, redactor);
    const notes = v.notes.length > 0 ? ` · ${v.notes.join(" · ")}` : "";
    const head = `### ${clean(v.who).replace(/\n/g, " ")} · ${v.role} · ${v.time}${clean(notes).replace(/\n/g, " ")}\n\n`;
    const parts = [head];
    if (v.thinking) parts.push(folded("thinking", v.thinking));
    if (v.toolResult) parts.push(folded(v.text.split("\n", 1)[0].slice(0, 120), v.text));
    else if (v.text) parts.push(`${quoted(v.text)}\n\n`);
    return parts.join("");
  },
  tail: () => "",
};

function folded(summary: string, body: string): string {
  return `<details><summary>${escapeTags(clean(summary))}</summary>\n\n${fenced(body)}\n</details>\n\n`;
}

/** The text in a code block whose fence no run of backticks in it can close. */
function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}\n${clean(text)}\n${fence}\n`;
}

function quoted(text: string): string {
  return clean(text).split("\n").map((l) => `> ${l}`).join("\n");
}

function escapeTags(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
