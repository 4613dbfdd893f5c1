// What a report reads of a session line, without parsing all of it: JSON.parse of every line builds every message's
// text (most of the bytes) and every object only to drop them. One ReportLine is used again for every
// line; it keeps where the values it needs are, and decodes a value only when asked.
// A line counts as a record as a reader's parse would take it — one JSON object with a number `seq` and `kind`
// "message" or "event" — save that the texts passed over are not checked character by character.
import { DEFAULT_RULES } from "../recorder/defaultRules.ts";
import type { Tokens } from "../record.ts";
import {
  CLOSE_OBJECT, COLON, COMMA, isString, keyFinder, OPEN_OBJECT, QUOTE, scalarText, skipSpace, stringEnd, stringIs, valueEnd, visitArray,
} from "./jsonScan.ts";

const RECORD_KEYS = ["seq", "ts", "kind", "topic", "event", "payload", "meta"] as const;
const META_KEYS = ["agent", "recipient", "ace_tier", "chain_type", "shl_tags", "chain_id", "error", "tokens", "model", "rewound", "source"] as const;
/** The payload fields that name a message (its id) and the message it answers, each in the order looked at. */
const PAYLOAD_KEYS = [...DEFAULT_RULES.id_fields, ...DEFAULT_RULES.reply_fields];
const ID_SLOTS = DEFAULT_RULES.id_fields.map((f) => slotOf("payload", f));
const REPLY_SLOTS = DEFAULT_RULES.reply_fields.map((f) => slotOf("payload", f));

type MetaKey = (typeof META_KEYS)[number];
type Slot = number;

/** Every value a report reads has a slot: where it starts (-1 when absent) and ends in the line. */
function slotOf(group: "record" | "meta" | "payload", key: string): Slot {
  const keys: readonly string[] = group === "record" ? RECORD_KEYS : group === "meta" ? META_KEYS : PAYLOAD_KEYS;
  const base = group === "record" ? 0 : group === "meta" ? RECORD_KEYS.length : RECORD_KEYS.length + META_KEYS.length;
  return base + keys.indexOf(key);
}
const SLOTS = RECORD_KEYS.length + META_KEYS.length + PAYLOAD_KEYS.length;
const [SEQ, TS, KIND, TOPIC, EVENT, PAYLOAD, META] = RECORD_KEYS.map((k) => slotOf("record", k));
/** Where the slots of a nested object's members start and end. */
const GROUP_START = { [META]: RECORD_KEYS.length, [PAYLOAD]: RECORD_KEYS.length + META_KEYS.length } as Record<Slot, number>;
const GROUP_END = { [META]: RECORD_KEYS.length + META_KEYS.length, [PAYLOAD]: SLOTS } as Record<Slot, number>;
const findRecord = keyFinder(RECORD_KEYS);
const findMeta = keyFinder(META_KEYS);
const findPayload = keyFinder(PAYLOAD_KEYS);
type KeyFind = typeof findRecord;
const META_SLOT = Object.fromEntries(META_KEYS.map((k) => [k, slotOf("meta", k)])) as Record<MetaKey, Slot>;

export class ReportLine {
  #s = "";
  readonly #start = new Int32Array(SLOTS);
  readonly #end = new Int32Array(SLOTS);

  /** Takes the next line; false when it is not a record (it counts as damaged). */
  read(line: string): boolean {
    this.#s = line;
    this.#start.fill(-1);
    const at = skipSpace(line, 0);
    const end = line.charCodeAt(at) === OPEN_OBJECT ? this.#object(at, 0, findRecord) : -1;
    if (end < 0 || skipSpace(line, end) !== line.length) return false;
    const seq = line.charCodeAt(this.#start[SEQ]);
    if (!(seq === 0x2d || (seq >= 0x30 && seq <= 0x39))) return false; // charCodeAt(-1) is NaN: no seq
    return this.isMessage || stringIs(line, this.#start[KIND], this.#end[KIND], "event");
  }

  get isMessage(): boolean {
    return stringIs(this.#s, this.#start[KIND], this.#end[KIND], "message");
  }

  /** The record's `ts` as written ("" when it has none). */
  get ts(): string {
    return isString(this.#s, this.#start[TS]) ? this.#text(TS)! : "";
  }

  get topic(): string | undefined {
    return this.#text(TOPIC);
  }

  get event(): string | undefined {
    return this.#text(EVENT);
  }

  /** A meta field as the text a report counts by (a number as written, `true`…); undefined when absent or null. */
  meta(key: Exclude<MetaKey, "shl_tags" | "tokens" | "error" | "rewound" | "source">): string | undefined {
    return this.#text(META_SLOT[key]);
  }

  /** `meta.error === true`: a transcript's failed tool call or reported error. */
  get metaError(): boolean {
    return this.#isTrue(META_SLOT.error);
  }

  /** `meta.rewound === true`: an imported message a rewind took out of the conversation. */
  get metaRewound(): boolean {
    return this.#isTrue(META_SLOT.rewound);
  }

  /** Where a transcript message came from (`meta.source`): its transcript file and line. */
  get source(): { format?: string; file?: string; line?: number } | undefined {
    return this.#objectValue(META_SLOT.source);
  }

  /** Each of `meta.shl_tags`. */
  tags(visit: (tag: string) => void): void {
    const at = this.#start[META_SLOT.shl_tags];
    if (at < 0) return;
    visitArray(this.#s, at, (start, end) => {
      const tag = scalarText(this.#s, start, end);
      if (tag !== undefined) visit(tag);
    });
  }

  get tokens(): Tokens | undefined {
    return this.#objectValue(META_SLOT.tokens);
  }

  #objectValue<T>(slot: Slot): T | undefined {
    const at = this.#start[slot];
    if (this.#s.charCodeAt(at) !== 0x7b) return undefined;
    try {
      return JSON.parse(this.#s.slice(at, this.#end[slot])) as T;
    } catch {
      return undefined; // not JSON inside: the line's text was not checked that far
    }
  }

  #isTrue(slot: Slot): boolean {
    return this.#text(slot) === "true" && !isString(this.#s, this.#start[slot]);
  }

  /** The payload's id: the first of `id`, `message_id`, `msg_id` that is a non-empty string or a number. */
  get id(): string | undefined {
    return this.#firstOf(ID_SLOTS);
  }

  /** The message the payload says it answers (`reply_to`, `in_reply_to`, `parent_id`, likewise). */
  get replyTo(): string | undefined {
    return this.#firstOf(REPLY_SLOTS);
  }

  #firstOf(slots: Slot[]): string | undefined {
    for (const slot of slots) {
      const at = this.#start[slot];
      const c = this.#s.charCodeAt(at);
      const usable = c === 0x22 ? this.#end[slot] - at > 2 : c === 0x2d || (c >= 0x30 && c <= 0x39);
      if (usable) return this.#text(slot);
    }
    return undefined;
  }

  #text(slot: Slot): string | undefined {
    return scalarText(this.#s, this.#start[slot], this.#end[slot]);
  }

  /**
   * Walks the object at `i` (a '{'), keeping where each of its keys that `find` knows is, in the slots from `base`
   * (a key given twice: the later one, as JSON.parse); record-level meta and payload are walked as they are passed.
   * Returns the position after the object, or -1 when it is not well formed.
   */
  #object(i: number, base: number, find: KeyFind): number {
    const s = this.#s;
    // Space between tokens is rare (a recorder writes none): look at the next character before calling skipSpace.
    i = after(s, i + 1);
    if (s.charCodeAt(i) === CLOSE_OBJECT) return i + 1;
    for (;;) {
      if (s.charCodeAt(i) !== QUOTE) return -1;
      const keyEnd = stringEnd(s, i);
      if (keyEnd < 0) return -1;
      const colon = after(s, keyEnd);
      if (s.charCodeAt(colon) !== COLON) return -1;
      const v = after(s, colon + 1);
      const key = find(s, i, keyEnd);
      const slot = base + key;
      let end: number;
      if (base === 0 && (slot === META || slot === PAYLOAD) && s.charCodeAt(v) === OPEN_OBJECT) {
        this.#start.fill(-1, GROUP_START[slot], GROUP_END[slot]); // a second meta replaces the first whole, as JSON.parse does
        end = this.#object(v, GROUP_START[slot], slot === META ? findMeta : findPayload);
      } else end = valueEnd(s, v);
      if (end < 0) return -1;
      if (key >= 0) {
        this.#start[slot] = v;
        this.#end[slot] = end;
      }
      i = after(s, end);
      const c = s.charCodeAt(i);
      if (c === CLOSE_OBJECT) return i + 1;
      if (c !== COMMA) return -1;
      i = after(s, i + 1);
    }
  }

}

/** The position of the next token from `i`: `i` itself unless there is space there. */
function after(s: string, i: number): number {
  return s.charCodeAt(i) > 0x20 ? i : skipSpace(s, i);
}
