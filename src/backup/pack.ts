// The new bytes of a backup packed into objects of at most OBJECT_BYTES: small files share an object, so a backup
// of a thousand checkpoints is a few uploads (and, with a passphrase, a few scrypt runs), not a thousand. Each object
// is stored (encrypted when asked) under the SHA-256 of what is stored, then read back and checked.
import { createHash } from "node:crypto";
import { encrypt, type Encryption } from "../crypto/ageCrypto.ts";
import { objectName, type Segment } from "./manifest.ts";
import type { BackupStore } from "./store.ts";

const OBJECT_BYTES = 64 << 20;

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

export class PackWriter {
  #parts: Buffer[] = [];
  #used = 0;
  /** Segments waiting for their object's name (known once it is stored). */
  #waiting: Array<Omit<Segment, "object"> & { fill: (name: string) => void }> = [];
  /** Objects stored by this backup, and their stored sizes. */
  readonly stored = new Map<string, number>();

  constructor(
    private readonly store: BackupStore,
    private readonly encryption: Encryption | null,
  ) {}

  /** Adds bytes of one file; the returned segments get their object names once `flush` has stored them. */
  async add(bytes: Buffer): Promise<Segment[]> {
    const segments: Segment[] = [];
    for (let from = 0; from < bytes.length; ) {
      const take = Math.min(bytes.length - from, OBJECT_BYTES - this.#used);
      const piece = bytes.subarray(from, from + take);
      const segment: Segment = { object: "", at: this.#used, length: take, sha256: sha256(piece) };
      segments.push(segment);
      this.#waiting.push({ ...segment, fill: (name) => (segment.object = name) });
      this.#parts.push(Buffer.from(piece)); // a copy: the caller reuses its read buffer
      this.#used += take;
      from += take;
      if (this.#used === OBJECT_BYTES) await this.flush();
    }
    return segments;
  }

  /** Stores what is packed so far as one object and verifies it. */
  async flush(): Promise<void> {
    if (this.#used === 0) return;
    const plain = Buffer.concat(this.#parts, this.#used);
    const data = this.encryption ? await encrypt(plain, this.encryption) : plain;
    const name = sha256(data);
    await this.store.put(objectName(name), data);
    const back = await this.store.get(objectName(name));
    if (sha256(back) !== name) throw new Error(`object ${name} reads back from ${this.store.where} with other bytes: the backup is not written`);
    this.stored.set(name, data.length);
    for (const w of this.#waiting) w.fill(name);
    this.#waiting = [];
    this.#parts = [];
    this.#used = 0;
  }
}
