// Gemini CLI transcripts (~/.gemini/tmp/<project>/chats/session-*.jsonl): line 1 is the session's metadata, then
// messages (user, gemini, info, error…); a message that changes is appended again whole under the same id (the last
// copy wins), `{"$set": {…}}` updates the metadata (with `messages`, the whole history) and `{"$rewindTo": id}`
// removes that message and all after it. The legacy format (one JSON object with a `messages` array) gives its
// messages to the same parser (geminiLegacy.ts).
import type { Meta, Tokens, ToolCall } from "../record.ts";
import { argsSummary, callText, clip, joinParts, resultText, stringOf, textOf } from "./readable.ts";
import { count, ResponseTokens } from "./responseTokens.ts";
import { SOURCE_TOPICS, sourceRef, type LineParser, type Reading, type SourceLine } from "./types.ts";
import { isObj, objects, str, type Obj } from "./values.ts";

export interface GeminiOptions {
  file: string;
  /** Lines (1-based) holding copies of messages that a rewind or a replaced history removed (geminiRewinds.ts). */
  rewound?: ReadonlySet<number>;
}

const ROLES: Record<string, Meta["role"]> = { user: "user", gemini: "assistant", model: "assistant" };

export class GeminiCliParser implements LineParser {
  readonly #tokens = new ResponseTokens();

  constructor(private readonly opts: GeminiOptions) {}

  read(line: SourceLine, value: unknown): Reading {
    const rec = isObj(value) ? value : {};
    const meta: Meta = { agent: SOURCE_TOPICS.gemini, role: "system", text: "" };
    let type: string;
    let id: string | undefined;
    if (isObj(rec.$set)) {
      type = "$set";
      const history = rec.$set.messages;
      meta.text = Array.isArray(history) ? `history replaced (${history.length} messages)` : `metadata: ${Object.keys(rec.$set).join(", ")}`;
    } else if (rec.$rewindTo !== undefined) {
      type = "$rewindTo";
      meta.text = `rewound to before message ${stringOf(rec.$rewindTo)}`;
    } else if (str(rec.type) && str(rec.id)) {
      type = str(rec.type)!;
      id = str(rec.id);
      this.#message(rec, meta);
    } else if (str(rec.sessionId)) {
      type = "session";
      id = str(rec.sessionId);
      meta.text = joinParts([`session ${id}`, str(rec.kind)]);
    } else {
      type = str(rec.type) ?? "unknown";
      meta.text = `[${type}]`;
    }
    if (this.opts.rewound?.has(line.line)) meta.rewound = true;
    meta.source = sourceRef("gemini", this.opts.file, line, type, id);
    return { meta: meta as Reading["meta"], ts: str(rec.timestamp) ?? str(rec.startTime) };
  }

  #message(rec: Obj, meta: Meta): void {
    const type = str(rec.type)!;
    meta.role = ROLES[type] ?? "system";
    if (type === "error") meta.error = true;
    const parts: string[] = [textOf(rec.content)];
    const calls: ToolCall[] = [];
    for (const call of objects(rec.toolCalls)) {
      const name = str(call.name) ?? "tool";
      calls.push({ name, summary: argsSummary(call.args), ...(str(call.id) ? { id: str(call.id) } : {}) });
      parts.push(callText(name, calls.at(-1)!.summary));
      const output = responseText(call.result) || stringOf(call.resultDisplay);
      if (output) parts.push(resultText(name, output));
      if (call.status === "error") meta.error = true;
    }
    meta.text = joinParts(parts);
    if (calls.length > 0) meta.tool_calls = calls;
    const thoughts = objects(rec.thoughts).map((t) => joinParts([str(t.subject), str(t.description)]));
    if (thoughts.length > 0) meta.thinking = clip(thoughts.join("\n\n"));
    const model = str(rec.model);
    if (model) meta.model = model;
    if (isObj(rec.tokens)) {
      const tokens = this.#tokens.add(str(rec.id)!, geminiTokens(rec.tokens));
      if (tokens) meta.tokens = tokens;
    }
  }
}

/**
 * Gemini's counts as SPEC's four: its `input` includes the cached part and leaves out the tool prompt, its `thoughts`
 * are billed as output (total = input + output + thoughts + tool).
 */
export function geminiTokens(t: Obj): Tokens {
  const cached = count(t.cached);
  return {
    input: Math.max(0, count(t.input) - cached) + count(t.tool),
    output: count(t.output) + count(t.thoughts),
    cache_read: cached,
    cache_write: 0,
  };
}

function responseText(result: unknown): string {
  const outputs = objects(result).map((r) => {
    const response = isObj(r.functionResponse) ? r.functionResponse.response : undefined;
    return isObj(response) ? stringOf(response.output ?? response.error ?? response) : "";
  });
  return outputs.filter((o) => o !== "").join("\n");
}
