// One group-commit batch: session lines serialized straight into one buffer as records arrive (so a record's JSON
// text is short-lived and the bytes are written with a single write), plus who is waiting for each line to be durable.
import type { SessionRecord } from "../record.ts";

const NL = 0x0a;
const COMMA = 0x2c;
/** `{"v":1,"seq":` and up to 17 digits. */
const MAX_PREFIX = 32;

export interface Waiter {
  record: object;
  promise: Promise<SessionRecord>;
  resolve: (r: SessionRecord) => void;
  reject: (e: Error) => void;
}

export class Batch {
  used = 0;
  lastSeq: number;
  readonly waiters: { seq: number; waiter: Waiter }[] = [];
  /** Set while its write is in flight: appends then go to the next batch. */
  writing = false;

  constructor(
    readonly buf: Buffer,
    readonly firstSeq: number,
  ) {
    this.lastSeq = firstSeq - 1;
  }

  /** Room for a line holding `json` (UTF-8 takes at most 3 bytes per UTF-16 unit). */
  fits(json: string): boolean {
    return this.used + lineBound(json) <= this.buf.length;
  }

  /** Appends `{"v":1,"seq":N` + the record's JSON with its opening brace turned into a comma + a newline. */
  add(json: string, waiter?: Waiter): number {
    const seq = ++this.lastSeq;
    const room = this.buf.length;
    let off = this.used + this.buf.write(`{"v":1,"seq":${seq}`, this.used, room - this.used, "latin1");
    const start = off;
    off += this.buf.write(json, off, room - off, "utf8");
    this.buf[start] = COMMA;
    this.buf[off++] = NL;
    this.used = off;
    if (waiter) this.waiters.push({ seq, waiter });
    return seq;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  resolveAll(): void {
    for (const { seq, waiter } of this.waiters) waiter.resolve({ v: 1, seq, ...waiter.record } as SessionRecord);
  }

  rejectAll(err: Error): void {
    for (const { waiter } of this.waiters) {
      waiter.promise.catch(() => {}); // nobody may be waiting: that must not become an unhandled rejection
      waiter.reject(err);
    }
  }
}

export function lineBound(json: string): number {
  return MAX_PREFIX + 3 * json.length + 1;
}

export function newWaiter(record: object): Waiter {
  const w = { record } as Waiter;
  w.promise = new Promise<SessionRecord>((resolve, reject) => {
    w.resolve = resolve;
    w.reject = reject;
  });
  return w;
}
