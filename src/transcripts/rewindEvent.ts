// What a live tap records when it learns of a rewind. A session is append-only, and a rewind is known only from a
// line that comes after the messages it takes back (a prompt sent from an earlier point, a `$rewindTo`), so the
// tap appends an event naming them by their place in the transcript; readers apply it to the records they hold.
//   {"kind":"event","event":"transcript_rewound","format":"claude","file":"/…/s.jsonl","at":"<id>",
//    "lines":[4,5,6],"ids":["u2","a2","u3"]}
import type { EventRecord, SessionRecord } from "../record.ts";
import type { RewindFinder } from "./rewinds.ts";
import type { TranscriptFormat } from "./types.ts";

export const TRANSCRIPT_REWOUND = "transcript_rewound";

/** A type, not an interface: it is appended as a record, whose details are open. */
export type RewoundEvent = {
  kind: "event";
  event: typeof TRANSCRIPT_REWOUND;
  format: TranscriptFormat;
  /** The transcript file, as the records' meta.source.file names it. */
  file: string;
  /** The id of the message the conversation went back to, when known. */
  at?: string;
  /** The rewound records' source lines (meta.source.line), ascending, and their source ids where they have one. */
  lines: number[];
  ids: string[];
};

export function rewoundEvent(format: TranscriptFormat, file: string, lines: number[], finder: RewindFinder): RewoundEvent {
  const sorted = [...lines].sort((a, b) => a - b);
  const described = sorted.map((l) => finder.describe(l));
  const at = described.find((d) => d.at !== undefined)?.at;
  const ids = described.map((d) => d.id).filter((id): id is string => id !== undefined);
  return { kind: "event", event: TRANSCRIPT_REWOUND, format, file, ...(at !== undefined ? { at } : {}), lines: sorted, ids };
}

export function isRewoundEvent(rec: SessionRecord): rec is EventRecord & RewoundEvent {
  return rec.kind === "event" && rec.event === TRANSCRIPT_REWOUND && typeof rec.file === "string" && Array.isArray(rec.lines);
}

/**
 * The rewinds a reader has seen in a session: `see` each record in order; a message a rewind event names gets
 * `meta.rewound`, whether it comes before the event (held by the reader: `see` says which event to apply to them)
 * or after (a reader that reads older records later).
 */
export class RewoundMarks {
  readonly #lines = new Map<string, Set<number>>();

  /** Marks `rec` when a rewind seen names it; true when `rec` is itself a rewind event (apply it to what is held). */
  see(rec: SessionRecord | null): boolean {
    if (!rec) return false;
    if (isRewoundEvent(rec)) {
      let lines = this.#lines.get(rec.file);
      if (!lines) this.#lines.set(rec.file, (lines = new Set()));
      for (const l of rec.lines) if (typeof l === "number") lines.add(l);
      return true;
    }
    this.mark(rec);
    return false;
  }

  /** Sets `meta.rewound` on a message a rewind seen names; true when that changed it. */
  mark(rec: SessionRecord | null): boolean {
    if (!rec || rec.kind !== "message") return false;
    const src = rec.meta?.source;
    if (!src || rec.meta.rewound || !this.#lines.get(src.file)?.has(src.line)) return false;
    rec.meta.rewound = true;
    return true;
  }
}
