// Per format: its parser and, for import, the first pass that finds rewinds.
import { ClaudeCodeParser } from "./claudeCode.ts";
import { CodexCliParser } from "./codexCli.ts";
import { GeminiCliParser } from "./geminiCli.ts";
import { claudeRewinds, geminiRewinds, type RewindFinder } from "./rewinds.ts";
import type { LineParser, TranscriptFormat } from "./types.ts";

export function parserFor(format: TranscriptFormat, file: string, rewound?: ReadonlySet<number>): LineParser {
  switch (format) {
    case "claude":
      return new ClaudeCodeParser({ file, rewound });
    case "gemini":
      return new GeminiCliParser({ file, rewound });
    case "codex":
      return new CodexCliParser({ file });
  }
}

/** Codex rollouts have no rewinds: a new turn follows the last. */
export function rewindFinderFor(format: TranscriptFormat): RewindFinder | null {
  return format === "claude" ? claudeRewinds() : format === "gemini" ? geminiRewinds() : null;
}

const KNOWN_TYPES: Record<TranscriptFormat, RegExp> = {
  claude: /^(user|assistant|progress|file-history-snapshot|file-history-delta|queue-operation|summary|system(:.*)?)$/,
  gemini: /^(session|\$set|\$rewindTo|user|gemini|info|error|warning)$/,
  codex: /^(session_meta|turn_context|compacted|event_msg:.*|response_item:(message|reasoning|function_call|function_call_output|custom_tool_call|custom_tool_call_output|local_shell_call))$/,
};

/** Whether the parser reads this source record type for what it is (an unknown one is kept as a system record). */
export function isKnownType(format: TranscriptFormat, type: string): boolean {
  return KNOWN_TYPES[format].test(type);
}
