// What a checkpoint says about a session prefix — its SHA-256, how many lines and messages it holds — computed
// incrementally over the bytes as they are written (or read back), so taking it later costs O(1).
import { createHash, type Hash } from "node:crypto";
import type { ByteSource } from "./byteSource.ts";
import { openSessionSource } from "./sessionSource.ts";

const NL = 0x0a;
/** The writer puts `v`, `seq`, `ts`, `kind` first in every line, so a line's kind is found in its first bytes. */
const HEAD_BYTES = 128;
const KIND_KEY = Buffer.from('"kind":');
const MESSAGE_KIND = Buffer.from('"kind":"message"');
const READ_CHUNK = 4 << 20;
const EMPTY = Buffer.alloc(0);

export interface DigestState {
  bytes: number;
  lines: number;
  messages: number;
  sha256: string;
}

export class PrefixDigest {
  constructor(private readonly hash: Hash = createHash("sha256")) {}

  /**
   * A digest that goes on from a prefix whose counts are known (a checkpoint's, the recorder's): its end and counts
   * include that prefix, its hash covers only the bytes fed after it (a chained checkpoint's segment).
   */
  static after(known: { bytes: number; lines: number; messages: number }): PrefixDigest {
    const d = new PrefixDigest();
    Object.assign(d, { bytes: known.bytes, lines: known.lines, messages: known.messages });
    return d;
  }

  private bytes = 0;
  private lines = 0;
  private messages = 0;
  /** Start of the current line while it is shorter than HEAD_BYTES and undecided; null once decided. */
  private head: Buffer | null = EMPTY;

  update(buf: Buffer): void {
    this.hash.update(buf);
    this.bytes += buf.length;
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(NL, pos);
      const end = nl === -1 ? buf.length : nl;
      if (this.head) {
        const take = buf.subarray(pos, Math.min(end, pos + HEAD_BYTES - this.head.length));
        this.head = this.head.length === 0 && nl !== -1 ? take : Buffer.concat([this.head, take]);
        if (nl !== -1 || this.head.length >= HEAD_BYTES) {
          if (isMessageHead(this.head)) this.messages++;
          this.head = null;
        }
      }
      if (nl === -1) break;
      this.lines++;
      this.head = EMPTY;
      pos = nl + 1;
    }
  }

  /** Whole lines whose count and messages the caller knows (the writer's batches): only the hash reads them. */
  append(buf: Buffer, lines: number, messages: number): void {
    if (this.head !== EMPTY) throw new Error("the digest is in the middle of a line");
    this.hash.update(buf);
    this.bytes += buf.length;
    this.lines += lines;
    this.messages += messages;
  }

  /** A copy that goes on independently (the writer hashes a batch while it is written, and keeps the copy once durable). */
  copy(): PrefixDigest {
    const d = new PrefixDigest(this.hash.copy());
    Object.assign(d, { bytes: this.bytes, lines: this.lines, messages: this.messages, head: this.head });
    return d;
  }

  /** The state so far; the running hash goes on (hash.copy()). */
  state(): DigestState {
    return { bytes: this.bytes, lines: this.lines, messages: this.messages, sha256: this.hash.copy().digest("hex") };
  }

  get counts(): { bytes: number; lines: number; messages: number } {
    return { bytes: this.bytes, lines: this.lines, messages: this.messages };
  }

  /** Feeds the bytes [digest's end, end) of `file`. */
  async readFrom(file: string | ByteSource, end: number): Promise<void> {
    const fh = typeof file === "string" ? await openSessionSource(file) : file;
    try {
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      while (this.bytes < end) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(READ_CHUNK, end - this.bytes), this.bytes);
        if (bytesRead === 0) throw new Error(`file ended at ${this.bytes} bytes, before ${end}`);
        this.update(buf.subarray(0, bytesRead));
      }
    } finally {
      if (typeof file === "string") await fh.close();
    }
  }
}

/** The first `"kind":` of a line is the record's own (the writer puts it before any payload). */
function isMessageHead(head: Buffer): boolean {
  const at = head.indexOf(KIND_KEY);
  return at !== -1 && at === head.indexOf(MESSAGE_KIND);
}
