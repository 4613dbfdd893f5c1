// Which format a transcript file is in: from where the agents keep them and from its first record.
import path from "node:path";
import type { FileHandle } from "node:fs/promises";
import type { TranscriptFormat } from "./types.ts";
import { isObj } from "./values.ts";

/** A file's kind: a JSONL format, Gemini's legacy single JSON object, or none. */
export type FileKind = TranscriptFormat | "gemini-legacy";

const HEAD_BYTES = 64 * 1024;
const CLAUDE_TYPES = new Set(["user", "assistant", "system", "summary", "progress", "file-history-snapshot", "queue-operation"]);
const CODEX_TYPES = new Set(["session_meta", "response_item", "event_msg", "turn_context", "compacted"]);

/** The kind of an open file, or null when it is none of them (the caller reports it and goes on). */
export async function detectKind(file: string, fh: FileHandle): Promise<FileKind | null> {
  const head = Buffer.alloc(HEAD_BYTES);
  const { bytesRead } = await fh.read(head, 0, HEAD_BYTES, 0);
  const text = head.toString("utf8", 0, bytesRead).replace(/^\ufeff/, "");
  const firstLine = text.split("\n", 1)[0].trim();
  const first = parsed(firstLine);
  if (isObj(first)) {
    if (typeof first.type === "string" && CODEX_TYPES.has(first.type) && "payload" in first) return "codex";
    if (typeof first.type === "string" && CLAUDE_TYPES.has(first.type)) return "claude";
    if (typeof first.sessionId === "string" && typeof first.projectHash === "string") return "messages" in first ? "gemini-legacy" : "gemini";
    if ("$set" in first || "$rewindTo" in first) return "gemini";
  }
  if (text.trimStart().startsWith("{") && /"messages"\s*:\s*\[/.test(text) && /"sessionId"\s*:/.test(text)) return "gemini-legacy";
  return kindFromPath(file);
}

/** Where the agents keep their transcripts, for a file whose first line says too little (torn, or unknown type). */
function kindFromPath(file: string): FileKind | null {
  const p = file.split(path.sep).join("/");
  if (!p.endsWith(".jsonl")) return null;
  if (p.includes("/.claude/projects/")) return "claude";
  if (p.includes("/.codex/sessions/") || /\/rollout-[^/]*\.jsonl$/.test(p)) return "codex";
  if (p.includes("/.gemini/tmp/") || /\/session-[^/]*\.jsonl$/.test(p)) return "gemini";
  return null;
}

function parsed(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
