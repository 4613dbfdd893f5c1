// Reads a JSONL transcript as records, incrementally: each call reads the complete lines appended since the last
// (a torn last line waits for its end), so the same reader serves a one-off import and a live tap. Lines before
// `emitFrom` are read but not emitted: the parser learns from them (tool names, tokens counted, the model).
import type { FileHandle } from "node:fs/promises";
import type { LineEntry } from "../storage/entry.ts";
import { scanLineBatches } from "../storage/lineScanner.ts";
import { parserFor } from "./formats.ts";
import { transcriptRecord, type TranscriptRecord } from "./records.ts";
import type { LineParser, TranscriptFormat } from "./types.ts";

export interface ReadPosition {
  /** Byte offset of the next line to read. */
  offset: number;
  /** Its line number (1-based). */
  line: number;
}

export class TranscriptReader {
  readonly #parser: LineParser;
  #position: ReadPosition = { offset: 0, line: 1 };
  #lastTs: string | undefined;

  /** `observe` sees each line's JSON value (a rewind finder builds its tree from them). */
  constructor(
    readonly file: string,
    readonly format: TranscriptFormat,
    rewound?: ReadonlySet<number>,
    private readonly observe?: (line: number, value: unknown) => void,
  ) {
    this.#parser = parserFor(format, file, rewound);
  }

  get position(): ReadPosition {
    return { ...this.#position };
  }

  /**
   * The records of the complete lines from the reader's position to the end of the file as it is, in batches (one
   * per chunk read); those of lines starting before `emitFrom` are left out.
   */
  async *read(fh: FileHandle, emitFrom = 0): AsyncGenerator<TranscriptRecord[]> {
    for await (const entries of this.#lineBatches(fh)) {
      const batch: TranscriptRecord[] = [];
      for (const e of entries) {
        const rec = this.#record(e);
        if (rec && e.offset >= emitFrom) batch.push(rec);
      }
      this.#passed(entries);
      if (batch.length > 0) yield batch;
    }
  }

  /**
   * The same records one by one, each handed to `each` as soon as it is read (awaited only when it returns a
   * promise): an import keeps no batch of parsed lines alive while it writes them.
   */
  async readEach(fh: FileHandle, emitFrom: number, each: (rec: TranscriptRecord) => Promise<void> | void): Promise<void> {
    for await (const entries of this.#lineBatches(fh)) {
      for (const e of entries) {
        const rec = this.#record(e);
        if (!rec || e.offset < emitFrom) continue;
        const written = each(rec);
        if (written) await written;
      }
      this.#passed(entries);
    }
  }

  #lineBatches(fh: FileHandle): AsyncGenerator<LineEntry[]> {
    const start = this.#position;
    return scanLineBatches(fh, { from: start.offset, to: Infinity, firstIndex: start.line - 1 });
  }

  /** The line's record; null for an empty line, which says nothing (a blank line between records). */
  #record(e: LineEntry): TranscriptRecord | null {
    if (e.length === 0) return null;
    const line = { bytes: e.bytes, text: e.raw, line: e.index + 1, offset: e.offset };
    const rec = transcriptRecord(this.format, this.#parser, line);
    if (this.observe && rec.payload !== undefined) this.observe(line.line, rec.payload);
    rec.ts ??= this.#lastTs;
    this.#lastTs = rec.ts ?? this.#lastTs;
    return rec;
  }

  #passed(entries: LineEntry[]): void {
    const last = entries.at(-1)!;
    this.#position = { offset: last.offset + last.length + 1, line: last.index + 2 };
  }
}
