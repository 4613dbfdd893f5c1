// The messages a rewind took out of the conversation, counted by agent and by source format, for a report: an
// imported one says so itself (meta.rewound); a tapped one is named by a `transcript_rewound` event that comes after
// it. One pass keeps, per transcript file, a bit per line of the messages counted (not rewound yet), so an event
// counts only messages the report counted, each once, in bounded memory (a bit a message, not the message).
// The figures above them count every message recorded; tokens and cost keep rewound responses: they were paid for.
import { parseRecordLine } from "../record.ts";
import { isRewoundEvent } from "../transcripts/rewindEvent.ts";
import { Counter } from "./counter.ts";
import type { ReportLine } from "./reportLine.ts";

export interface RewoundFigures {
  messages: number;
  by_agent: Record<string, number>;
  /** By transcript format: claude, gemini, codex. */
  by_source: Record<string, number>;
}

/** Lines beyond this (64 M) are not tracked: their bits would take more memory than a report may (8 MiB a file). */
const MAX_LINE = 1 << 26;

/** The lines of one transcript counted, as bits. */
class LineBits {
  #bits = new Uint8Array(64);

  set(line: number): void {
    if (line >> 3 >= this.#bits.length) {
      const grown = new Uint8Array(Math.max(this.#bits.length * 2, (line >> 3) + 1));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    this.#bits[line >> 3] |= 1 << (line & 7);
  }

  /** Whether the line was set; it is cleared. */
  take(line: number): boolean {
    const i = line >> 3;
    const bit = 1 << (line & 7);
    if (i >= this.#bits.length || (this.#bits[i] & bit) === 0) return false;
    this.#bits[i] &= ~bit;
    return true;
  }
}

export class RewoundTally {
  readonly #counted = new Map<string, { agent: string; format: string; lines: LineBits }>();
  readonly #byAgent = new Counter();
  readonly #bySource = new Counter();
  #messages = 0;

  /** A message the report counted, under `agent`. */
  message(line: ReportLine, agent: string): void {
    const src = line.source;
    if (!src || typeof src.file !== "string") {
      if (line.metaRewound) this.#count(agent, "");
      return;
    }
    const format = typeof src.format === "string" ? src.format : "";
    if (line.metaRewound) return this.#count(agent, format);
    if (typeof src.line !== "number" || !(src.line >= 0) || src.line > MAX_LINE) return;
    let file = this.#counted.get(src.file);
    if (!file) this.#counted.set(src.file, (file = { agent, format, lines: new LineBits() }));
    file.lines.set(src.line);
  }

  /** An event line the report counted: a rewind event counts the messages it names. */
  event(text: string): void {
    let rec;
    try {
      rec = parseRecordLine(text);
    } catch {
      return;
    }
    if (!isRewoundEvent(rec)) return;
    const file = this.#counted.get(rec.file);
    if (!file) return;
    for (const l of rec.lines) if (typeof l === "number" && file.lines.take(l)) this.#count(file.agent, file.format);
  }

  figures(): RewoundFigures {
    return { messages: this.#messages, by_agent: this.#byAgent.toObject(), by_source: this.#bySource.toObject() };
  }

  #count(agent: string, format: string): void {
    this.#messages++;
    this.#byAgent.add(agent);
    if (format) this.#bySource.add(format);
  }
}
