// One group-commit batch: session lines serialized straight into one buffer as records arrive (so a record's JSON
// text is short-lived and the bytes are written with a single write), and one promise for all of them: every record
// of a batch becomes durable with the same fdatasync.

const NL = 0x0a;
/** Every record's JSON starts with this (recordJson.ts); the batch writes the record's real seq in its place. */
export const SEQ_PLACEHOLDER = '{"v":1,"seq":0';
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

  /** Room for a line holding `json` (UTF-8 takes at most 3 bytes per UTF-16 unit). */
  fits(json: string): boolean {
    return this.used + lineBound(json) <= this.buf.length;
  }

  /** Appends the record's JSON with its seq filled in, and a newline; returns the seq. */
  add(json: string, isMessage: boolean): number {
    const seq = ++this.lastSeq;
    const room = this.buf.length;
    let off = this.used + this.buf.write(`{"v":1,"seq":${seq}`, this.used, room - this.used, "latin1");
    off += this.buf.write(json.slice(SEQ_PLACEHOLDER.length), off, room - off, "utf8");
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

export function lineBound(json: string): number {
  return MAX_PREFIX + 3 * json.length + 1;
}
