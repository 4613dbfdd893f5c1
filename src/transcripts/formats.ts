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
