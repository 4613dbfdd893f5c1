// Codex CLI rollouts (~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl): {timestamp, type, payload} a line —
// `session_meta`, `turn_context` (the model of the turns that follow), `response_item` (messages, reasoning, function
// calls and their outputs) and `event_msg` (token counts, echoes of the messages, command and patch results).
import type { Meta, Tokens } from "../record.ts";
import { argsSummary, callText, clip, joinParts, resultText, stringOf, textOf } from "./readable.ts";
import { count } from "./responseTokens.ts";
import { SOURCE_TOPICS, sourceRef, type LineParser, type Reading, type SourceLine } from "./types.ts";
import { isObj, RecentMap, str, type Obj } from "./values.ts";

const ROLES: Record<string, Meta["role"]> = { user: "user", assistant: "assistant" };
/** event_msg types that repeat a response_item (the conversation itself is read from the response items). */
const ECHOES = new Set(["user_message", "agent_message", "agent_reasoning", "agent_reasoning_raw_content"]);

export class CodexCliParser implements LineParser {
  #model: string | undefined;
  /** The session's running total so far: a token_count repeated adds nothing. */
  #total: Tokens = { input: 0, output: 0, cache_read: 0, cache_write: 0 };
  readonly #callNames = new RecentMap<string, string>();

  constructor(private readonly opts: { file: string }) {}

  read(line: SourceLine, value: unknown): Reading {
    const rec = isObj(value) ? value : {};
    const kind = str(rec.type) ?? "unknown";
    const payload = isObj(rec.payload) ? rec.payload : {};
    const itemType = str(payload.type);
    const meta: Meta = { agent: SOURCE_TOPICS.codex, role: "system", text: "" };
    let id: string | undefined;
    if (kind === "session_meta") {
      id = str(payload.id);
      meta.text = joinParts([`session ${id ?? "?"}`, str(payload.cwd), str(payload.cli_version) && `codex ${payload.cli_version}`]);
    } else if (kind === "turn_context") {
      this.#model = str(payload.model) ?? this.#model;
      meta.text = `turn: ${this.#model ?? "model unknown"}`;
    } else if (kind === "response_item") {
      id = str(payload.call_id) ?? str(payload.id);
      this.#item(payload, meta);
    } else if (kind === "event_msg") {
      this.#event(payload, meta);
    } else if (kind === "compacted") {
      meta.text = joinParts(["conversation compacted", str(payload.message)]);
    } else {
      meta.text = `[${kind}]`;
    }
    if (this.#model && meta.role === "assistant") meta.model = this.#model;
    meta.source = sourceRef("codex", this.opts.file, line, itemType ? `${kind}:${itemType}` : kind, id);
    return { meta: meta as Reading["meta"], ts: str(rec.timestamp) };
  }

  #item(item: Obj, meta: Meta): void {
    switch (item.type) {
      case "message":
        meta.role = ROLES[str(item.role) ?? ""] ?? "system";
        meta.text = clip(textOf(item.content));
        return;
      case "reasoning": {
        meta.role = "assistant";
        const summary = textOf(item.summary) || textOf(item.content);
        if (summary) meta.thinking = clip(summary);
        return;
      }
      case "function_call":
      case "custom_tool_call":
      case "local_shell_call": {
        meta.role = "assistant";
        const name = str(item.name) ?? (item.type === "local_shell_call" ? "shell" : "tool");
        const callId = str(item.call_id);
        if (callId) this.#callNames.set(callId, name);
        const summary = argsSummary(item.arguments ?? item.input ?? item.action);
        meta.tool_calls = [{ name, summary, ...(callId ? { id: callId } : {}) }];
        meta.text = callText(name, summary);
        return;
      }
      case "function_call_output":
      case "custom_tool_call_output": {
        meta.role = "tool";
        const { text, failed } = callOutput(item.output);
        meta.text = resultText(this.#callNames.get(str(item.call_id) ?? "") ?? "tool", text);
        if (failed) meta.error = true;
        return;
      }
      default:
        meta.text = `[${stringOf(item.type) || "response item"}]`;
    }
  }

  #event(event: Obj, meta: Meta): void {
    const type = str(event.type) ?? "event";
    if (type === "token_count") {
      const info = isObj(event.info) ? event.info : undefined;
      const total = info && isObj(info.total_token_usage) ? codexTokens(info.total_token_usage) : undefined;
      const added = total && this.#advance(total);
      if (added) {
        meta.tokens = added;
        if (this.#model) meta.model = this.#model;
      }
      meta.text = added ? `tokens: ${added.input} in, ${added.output} out, ${added.cache_read} cached` : "tokens";
      return;
    }
    if (type === "patch_apply_end" && event.success === false) meta.error = true;
    if (type === "exec_command_end" && count(event.exit_code) !== 0) meta.error = true;
    if (type === "error" || type === "stream_error") meta.error = true;
    // An echo is kept (in the record) but says nothing new: its text would show and be found twice.
    meta.text = ECHOES.has(type) ? `(${type})` : joinParts([type, str(event.message) ?? str(event.stdout)]);
  }

  /** What a running total adds to the one before. */
  #advance(total: Tokens): Tokens | undefined {
    const added: Tokens = {
      input: Math.max(0, total.input - this.#total.input),
      output: Math.max(0, total.output - this.#total.output),
      cache_read: Math.max(0, total.cache_read - this.#total.cache_read),
      cache_write: 0,
    };
    this.#total = total;
    return added.input + added.output + added.cache_read > 0 ? added : undefined;
  }
}

/** OpenAI's input_tokens include the cached ones; reasoning tokens are part of output_tokens. */
export function codexTokens(u: Obj): Tokens {
  const cached = count(u.cached_input_tokens);
  return { input: Math.max(0, count(u.input_tokens) - cached), output: count(u.output_tokens), cache_read: cached, cache_write: 0 };
}

/** A call's output: plain text, or Codex's JSON `{output, metadata: {exit_code}}`. */
function callOutput(output: unknown): { text: string; failed: boolean } {
  if (typeof output === "string" && output.startsWith("{")) {
    try {
      const parsed = JSON.parse(output) as unknown;
      if (isObj(parsed) && parsed.output !== undefined) {
        const meta = isObj(parsed.metadata) ? parsed.metadata : {};
        return { text: stringOf(parsed.output), failed: typeof meta.exit_code === "number" && meta.exit_code !== 0 };
      }
    } catch {
      // not JSON after all: shown as it is
    }
  }
  return { text: stringOf(output), failed: false };
}
