// Claude Code transcripts (~/.claude/projects/<project>/<sessionId>.jsonl, subagents in <sessionId>/subagents/):
// one record a line — user, assistant, system, progress, file-history-snapshot, queue-operation, summary, and types
// still to come, which are kept as system records. One model response is split over several lines sharing
// `message.id`; `parentUuid` links the lines into a tree.
import path from "node:path";
import type { Meta, ToolCall } from "../record.ts";
import { argsSummary, callText, clip, joinParts, resultText, stringOf, textOf } from "./readable.ts";
import { count, ResponseTokens } from "./responseTokens.ts";
import { SOURCE_TOPICS, sourceRef, type LineParser, type Reading, type SourceLine } from "./types.ts";
import { isObj, objects, RecentMap, str, type Obj } from "./values.ts";

export interface ClaudeOptions {
  file: string;
  /** Lines (1-based) that a rewind left off the conversation (claudeRewinds.ts). */
  rewound?: ReadonlySet<number>;
}

export class ClaudeCodeParser implements LineParser {
  readonly #tokens = new ResponseTokens();
  /** tool_use id → name, so a tool result can say which tool answered. */
  readonly #toolNames = new RecentMap<string, string>();
  readonly #fileSubagent: string | undefined;

  constructor(private readonly opts: ClaudeOptions) {
    this.#fileSubagent = subagentOfFile(opts.file);
  }

  read(line: SourceLine, value: unknown): Reading {
    const rec = (isObj(value) ? value : {}) as Obj;
    const type = str(rec.type) ?? "unknown";
    const subtype = type === "system" ? str(rec.subtype) : undefined;
    const meta: Meta = { agent: SOURCE_TOPICS.claude, role: "system", text: "" };
    const message = isObj(rec.message) ? rec.message : undefined;
    if (type === "assistant" && message) this.#assistant(message, meta);
    else if (type === "user" && message) this.#user(rec, message, meta);
    else meta.text = otherText(type, rec);
    const id = str(rec.uuid) ?? str(rec.messageId) ?? str(rec.leafUuid);
    const parent = str(rec.parentUuid) ?? str(rec.logicalParentUuid);
    if (parent) meta.parent = parent;
    const subagent = str(rec.agentId) ?? this.#fileSubagent ?? (rec.isSidechain === true ? "sidechain" : undefined);
    if (subagent) meta.subagent = subagent;
    if (this.opts.rewound?.has(line.line)) meta.rewound = true;
    meta.source = sourceRef("claude", this.opts.file, line, subtype ? `${type}:${subtype}` : type, id);
    const snapshot = isObj(rec.snapshot) ? rec.snapshot : {};
    return { meta: meta as Reading["meta"], ts: str(rec.timestamp) ?? str(snapshot.timestamp) };
  }

  #assistant(message: Obj, meta: Meta): void {
    meta.role = "assistant";
    const model = str(message.model);
    if (model && model !== "<synthetic>") meta.model = model;
    const parts: string[] = [];
    const thinking: string[] = [];
    const calls: ToolCall[] = [];
    for (const block of objects(message.content)) {
      if (block.type === "text") parts.push(stringOf(block.text));
      else if (block.type === "thinking") thinking.push(stringOf(block.thinking));
      else if (block.type === "redacted_thinking") thinking.push("[redacted thinking]");
      else if (block.type === "tool_use" || block.type === "server_tool_use") {
        const name = str(block.name) ?? "tool";
        const call: ToolCall = { name, summary: argsSummary(block.input), ...(str(block.id) ? { id: str(block.id) } : {}) };
        if (call.id) this.#toolNames.set(call.id, name);
        calls.push(call);
        parts.push(callText(call.name, call.summary));
      } else if (typeof block.type === "string") parts.push(`[${block.type}]`);
    }
    meta.text = joinParts(parts);
    if (thinking.some((t) => t !== "")) meta.thinking = clip(thinking.join("\n\n"));
    if (calls.length > 0) meta.tool_calls = calls;
    const usage = isObj(message.usage) ? message.usage : undefined;
    const id = str(message.id);
    if (usage && id) {
      const tokens = this.#tokens.add(id, {
        input: count(usage.input_tokens),
        output: count(usage.output_tokens),
        cache_read: count(usage.cache_read_input_tokens),
        cache_write: count(usage.cache_creation_input_tokens),
      });
      if (tokens) meta.tokens = tokens;
    }
  }

  #user(rec: Obj, message: Obj, meta: Meta): void {
    const content = message.content;
    const all = objects(content);
    const results = all.filter((b) => b.type === "tool_result");
    const parts: string[] = [typeof content === "string" ? content : ""];
    for (const block of all) {
      if (block.type === "text") parts.push(stringOf(block.text));
      else if (block.type === "tool_result") {
        const name = this.#toolNames.get(str(block.tool_use_id) ?? "") ?? "tool";
        parts.push(resultText(name, textOf(block.content) || stringOf(block.content)));
        if (block.is_error === true) meta.error = true;
      } else if (typeof block.type === "string") parts.push(`[${block.type}]`);
    }
    meta.text = joinParts(parts);
    if (rec.isCompactSummary === true || rec.isMeta === true) meta.role = "system";
    else meta.role = results.length > 0 && results.length === all.length ? "tool" : "user";
  }
}

/** The subagent id of a file under `<sessionId>/subagents/` (agent-a2898e3.jsonl → a2898e3). */
function subagentOfFile(file: string): string | undefined {
  if (path.basename(path.dirname(file)) !== "subagents") return undefined;
  return path.basename(file, ".jsonl").replace(/^agent-/, "");
}

/** What the records that are not conversation say, in a line. */
function otherText(type: string, rec: Obj): string {
  switch (type) {
    case "system": {
      if (rec.subtype === "compact_boundary") {
        const m = isObj(rec.compactMetadata) ? rec.compactMetadata : {};
        return `conversation compacted (${str(m.trigger) ?? "?"}, ${count(m.preTokens)} tokens before)`;
      }
      return joinParts([str(rec.subtype), stringOf(rec.content)]);
    }
    case "summary":
      return `summary: ${stringOf(rec.summary)}`;
    case "progress": {
      const data = isObj(rec.data) ? rec.data : {};
      const what = str(data.hookName) ?? str(data.taskDescription) ?? str(data.output);
      return clip(`progress ${str(data.type) ?? ""}${what ? `: ${what}` : ""}`);
    }
    case "queue-operation":
      return joinParts([`queue ${str(rec.operation) ?? ""}`.trim(), stringOf(rec.content)]);
    case "file-history-snapshot":
      return "file history snapshot";
    default:
      return `[${type}]`;
  }
}
