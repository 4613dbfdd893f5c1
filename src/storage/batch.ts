// One group-commit batch: session lines serialized straight into one buffer as records arrive (so a record's JSON
// text is short-lived and the bytes are written with a single write), and one promise for all of them: every record
// of a batch becomes durable with the same fdatasync.
import type { LineText } from "./recordJson.ts";

const NL = 0x0a;
const CLOSE = 0x7d;
/** Every record's JSON starts with this (the writer builds records so); the batch writes the record's real seq in its place. */
const SEQ_PLACEHOLDER = '{"v":1,"seq":0';
/** `{"v":1,"seq":` and up to 17 digits. */
const MAX_PREFIX = 32;

export class Batch {
  used = 0;
  lastSeq: number;
  /** Lines in the batch, and how many of them are messages (the prefix digest counts both). */
  lines = 0;
  messages = 0;
  /** Set while its write is in flight: appends then go to the next batch. */
  writing = false;
  /** Receive times of its first and last record (what a stop cut short names). */
  firstTs = "";
  lastTs = "";
  /** Resolves once the batch is durable; rejects when it is given up (the writer closed while writes failed). */
  readonly durable: Promise<void>;
  private settle!: (err?: Error) => void;

  constructor(
    readonly buf: Buffer,
    readonly firstSeq: number,
  ) {
    this.lastSeq = firstSeq - 1;
    this.durable = new Promise<void>((resolve, reject) => (this.settle = (err) => (err ? reject(err) : resolve())));
    this.durable.catch(() => {}); // nobody may be waiting: that must not become an unhandled rejection
  }

  fits(line: LineText): boolean {
    return this.used + lineBound(line) <= this.buf.length;
  }

  /** Appends the record's line with its seq filled in, and a newline; returns the seq. */
  add(line: LineText, isMessage: boolean, ts: string): number {
    const seq = ++this.lastSeq;
    this.firstTs ||= ts;
    this.lastTs = ts;
    let off = this.used + this.buf.write(`{"v":1,"seq":${seq}${line.json.slice(SEQ_PLACEHOLDER.length)}`, this.used); // fits(): never cut
    if (line.payloadJson !== undefined) {
      this.buf.set(line.payloadJson, off);
      off += line.payloadJson.byteLength;
      this.buf[off++] = CLOSE;
    }
    this.buf[off++] = NL;
    this.used = off;
    this.lines++;
    if (isMessage) this.messages++;
    return seq;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  resolve(): void {
    this.settle();
  }

  reject(err: Error): void {
    this.settle(err);
  }
}

/** Above this many UTF-16 units a line's JSON is measured rather than bounded, so a huge line is not given thrice its room. */
const MEASURE_ABOVE = 64 * 1024;

/** Bytes a line may take at most (UTF-8 takes at most 3 bytes per UTF-16 unit). */
export function lineBound(line: LineText): number {
  const json = line.json.length > MEASURE_ABOVE ? Buffer.byteLength(line.json) : 3 * line.json.length;
  return MAX_PREFIX + json + (line.payloadJson?.byteLength ?? 0) + 2;
}
