// The chosen conversation written for an agent to read as context: JSONL (the message records, lossless) and
// Markdown (who said what, when). One pair per agent under `transcripts/`, replaced at each launch, so an agent
// finds it at a stable path and the folder does not grow with every start.
import path from "node:path";
import type { MessageRecord } from "../record.ts";
import { Redactor } from "../export/redact.ts";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { sanitizeForTerminal as clean, snippetOf } from "../text/sanitize.ts";
import { ensurePrivateDir } from "../storage/logsDir.ts";
import { checkAgentName } from "./agentName.ts";
import type { RecentMessages } from "./recentMessages.ts";

export const TRANSCRIPTS_DIR = "transcripts";
/** Context for an agent, not an archive: the last this many messages (the logs folder keeps everything). */
export const DEFAULT_TRANSCRIPT_LIMIT = 1000;
/** Characters of one message's text; longer ones are cut (the JSONL keeps them whole). */
const TEXT_MAX = 4000;

export interface Transcript {
  jsonl: string;
  markdown: string;
  /** Messages written, and messages in the conversation (more when it was cut to the limit). */
  messages: number;
  total: number;
  /** Secrets masked in the two files (the session files keep them). */
  redacted: number;
}

/** Writes the last messages of the conversation (`LaunchChoice.recentMessages()`) for `agent`. */
export async function writeTranscript(
  logsDir: string,
  agent: string,
  { messages: kept, lines, total }: RecentMessages,
  { title }: { title: string },
): Promise<Transcript> {
  const name = checkAgentName(agent);
  const dir = path.join(path.resolve(logsDir), TRANSCRIPTS_DIR);
  await ensurePrivateDir(dir);
  const base = path.join(dir, name);
  const jsonl = `${base}.jsonl`;
  const markdown = `${base}.md`;
  const redactor = new Redactor(); // what leaves the logs folder for an agent carries no secrets
  await writeFileAtomic(jsonl, kept.map((r, i) => redactor.line(lines[i], r) + "\n").join(""));
  const redacted = redactor.total; // the Markdown shows the same messages: its masks are the same secrets
  await writeFileAtomic(markdown, toMarkdown(title, kept, total, redactor));
  return { jsonl, markdown, messages: kept.length, total, redacted };
}

export function toMarkdown(title: string, messages: MessageRecord[], total: number, redactor = new Redactor()): string {
  const head = [`# ${clean(title)}`, ""];
  if (total > messages.length) head.push(`_The last ${messages.length} of ${total} messages._`, "");
  if (messages.length === 0) head.push("_No messages yet._", "");
  const body = messages.map((m) => {
    const who = clean(m.meta.agent ?? (m.topic || "unknown"));
    const to = m.meta.recipient ? ` → ${clean(m.meta.recipient)}` : "";
    const kind = [m.meta.chain_type, ...(m.meta.shl_tags ?? [])].filter(Boolean).join(" ");
    const text = redactor.text(snippetOf(m, TEXT_MAX));
    return `**${who}**${to} · ${m.ts} · #${m.seq}${kind ? ` · ${clean(kind)}` : ""}\n> ${text}\n`;
  });
  return [...head, ...body].join("\n");
}
