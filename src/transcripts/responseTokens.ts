// Tokens counted once per model response. Transcripts repeat a response's usage: Claude Code writes one line per
// content block, each with the usage so far (the last one final); Gemini CLI appends a changed message again whole.
// Each line gets what its usage adds to the largest seen for that response, so the lines of a response sum to its
// final usage, and no line has to wait for the ones after it (a live tap cannot know which line is the last).
import type { Tokens } from "../record.ts";
import { RecentMap } from "./values.ts";

/** Responses remembered; Claude's lines of one response are adjacent, Gemini's copies of a message near each other. */
const REMEMBERED = 10_000;
const FIELDS = ["input", "output", "cache_read", "cache_write"] as const;

export class ResponseTokens {
  readonly #counted = new RecentMap<string, Tokens>(REMEMBERED);

  /** What `usage` adds for the response `id`; undefined when it adds nothing. */
  add(id: string, usage: Tokens): Tokens | undefined {
    const seen = this.#counted.get(id) ?? { input: 0, output: 0, cache_read: 0, cache_write: 0 };
    const added = { input: 0, output: 0, cache_read: 0, cache_write: 0 };
    for (const f of FIELDS) {
      const more = Math.max(0, usage[f] - seen[f]);
      added[f] = more;
      seen[f] += more;
    }
    this.#counted.set(id, seen);
    return FIELDS.some((f) => added[f] > 0) ? added : undefined;
  }
}

/** A non-negative whole count from an untrusted value. */
export function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
