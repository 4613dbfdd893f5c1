// The chosen conversation written for an agent to read as context: JSONL (the message records, lossless) and
// Markdown (who said what, when). One pair per agent under `transcripts/`, replaced at each launch, so an agent
// finds it at a stable path and the folder does not grow with every start.
import fs from "node:fs/promises";
import path from "node:path";
import { isMessage, type MessageRecord, type SessionRecord } from "../record.ts";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { PRIVATE_DIR_MODE } from "../storage/logsDir.ts";

export const TRANSCRIPTS_DIR = "transcripts";
/** Context for an agent, not an archive: the last this many messages (the logs folder keeps everything). */
export const DEFAULT_TRANSCRIPT_LIMIT = 1000;

export interface Transcript {
  jsonl: string;
  markdown: string;
  /** Messages written, and messages in the conversation (more when it was cut to the limit). */
  messages: number;
  total: number;
}

export async function writeTranscript(
  logsDir: string,
  agent: string,
  records: AsyncIterable<SessionRecord>,
  { title, limit = DEFAULT_TRANSCRIPT_LIMIT }: { title: string; limit?: number },
): Promise<Transcript> {
  const kept: MessageRecord[] = [];
  let total = 0;
  for await (const rec of records) {
    if (!isMessage(rec)) continue;
    total++;
    kept.push(rec);
    if (kept.length > limit) kept.shift();
  }
  const dir = path.join(path.resolve(logsDir), TRANSCRIPTS_DIR);
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const base = path.join(dir, agent.replace(/[^A-Za-z0-9._-]+/g, "_") || "agent");
  const jsonl = `${base}.jsonl`;
  const markdown = `${base}.md`;
  await writeFileAtomic(jsonl, kept.map((r) => JSON.stringify(r) + "\n").join(""));
  await writeFileAtomic(markdown, toMarkdown(title, kept, total));
  return { jsonl, markdown, messages: kept.length, total };
}

export function toMarkdown(title: string, messages: MessageRecord[], total: number): string {
  const head = [`# ${clean(title)}`, ""];
  if (total > messages.length) head.push(`_The last ${messages.length} of ${total} messages._`, "");
  if (messages.length === 0) head.push("_No messages yet._", "");
  const body = messages.map((m) => {
    const who = clean(m.meta.agent ?? (m.topic || "unknown"));
    const to = m.meta.recipient ? ` → ${clean(m.meta.recipient)}` : "";
    const kind = [m.meta.chain_type, ...(m.meta.shl_tags ?? [])].filter(Boolean).join(" ");
    const text = clean(messageText(m)).replace(/\n/g, "\n> ");
    return `**${who}**${to} · ${m.ts} · #${m.seq}${kind ? ` · ${clean(kind)}` : ""}\n> ${text}\n`;
  });
  return [...head, ...body].join("\n");
}

/** The human part of a message: its text field when it has one, else its payload or frames as JSON. */
export function messageText(m: MessageRecord): string {
  const p = m.payload;
  if (typeof p === "string") return p;
  if (p && typeof p === "object") {
    for (const key of ["text", "content", "message", "body"]) {
      const v = (p as Record<string, unknown>)[key];
      if (typeof v === "string") return v;
    }
  }
  if (m.oversize) return `[message of ${m.oversize.bytes} bytes over the size limit, sha256 ${m.oversize.sha256}]`;
  return JSON.stringify(p ?? m.frames ?? null);
}

/** Untrusted text made safe to show: terminal escapes and other control characters removed. */
function clean(text: string): string {
  return text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?|\x1b./g, "")
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, "");
}
