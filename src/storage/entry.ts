// One line of a session file as readers hand it out. The text and the record are decoded on first use, so a scan
// that only looks at a few lines (search, counting) does not pay for decoding and parsing every one. Until then an
// entry keeps the chunk it was read in (up to 1 MiB) alive: keep records or text, not undecoded entries, in bulk.
import { parseRecordLine, type SessionRecord } from "../record.ts";

/**
 * A complete line. `offset` is its byte position in the file, `length` its byte length without the newline.
 * `index` is its line number in the file, or -1 when the reader does not know it yet (tail before the index is built).
 * A line that is not a record has `record: null` and `damaged` saying why; it is never skipped.
 */
export interface Entry {
  readonly index: number;
  readonly offset: number;
  readonly length: number;
  readonly record: SessionRecord | null;
  readonly damaged?: string;
  /** The line's text (without its newline). */
  readonly raw: string;
}

export class LineEntry implements Entry {
  #bytes: Buffer | null;
  #start: number;
  #raw: string | undefined;
  #parsed = false;
  #record: SessionRecord | null = null;
  #damaged: string | undefined;

  /** `bytes[start, start + length)` holds the line; the buffer is let go once the text is decoded. */
  constructor(
    readonly index: number,
    readonly offset: number,
    readonly length: number,
    bytes: Buffer,
    start: number,
  ) {
    this.#bytes = bytes;
    this.#start = start;
  }

  get raw(): string {
    if (this.#raw === undefined) {
      this.#raw = this.#bytes!.toString("utf8", this.#start, this.#start + this.length);
      this.#bytes = null;
    }
    return this.#raw;
  }

  /** The line's bytes (a view of the chunk until the text is decoded; a new buffer of the text after). */
  get bytes(): Buffer {
    return this.#bytes ? this.#bytes.subarray(this.#start, this.#start + this.length) : Buffer.from(this.raw);
  }

  get record(): SessionRecord | null {
    this.#parse();
    return this.#record;
  }

  get damaged(): string | undefined {
    this.#parse();
    return this.#damaged;
  }

  /** Plain fields, so JSON.stringify and spreading-minded code see the same shape as the interface. */
  toJSON(): { index: number; offset: number; length: number; record: SessionRecord | null; damaged?: string; raw: string } {
    const { index, offset, length, record, damaged, raw } = this;
    return damaged === undefined ? { index, offset, length, record, raw } : { index, offset, length, record, damaged, raw };
  }

  #parse(): void {
    if (this.#parsed) return;
    this.#parsed = true;
    const text = this.raw;
    if (text.trim() === "") {
      this.#damaged = "empty line";
      return;
    }
    try {
      this.#record = parseRecordLine(text);
    } catch (err) {
      this.#damaged = err instanceof Error ? err.message : String(err);
    }
  }
}
