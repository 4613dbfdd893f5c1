// The session that replaces the active one (load, new), written whole beside it before anything changes: its first
// records (`session_started`, a loaded history) streamed into a file of its own, made durable, and only then
// swapped in by two renames — the active session sealed into sessions/, the new file put in its place. A failure
// before the swap leaves the active session exactly as it was (the new file is removed); a second rename that fails
// is undone. So a failed load or new never leaves the writer without a session to write to.
import fs from "node:fs/promises";
import type { NewRecord } from "../record.ts";
import { fsyncDir } from "./atomicFile.ts";
import { Batch, lineBound } from "./batch.ts";
import type { LogsPaths } from "./logsDir.ts";
import { writeAll } from "./positionedWrite.ts";
import { PrefixDigest } from "./prefixDigest.ts";
import { recordLine, type AppendRecord } from "./recordJson.ts";
import { freeSealedPath } from "./sessionFile.ts";

/** How the writer opens its session files (a seam: tests watch the writes and syncs, or make the open fail). */
export type OpenSessionFile = (file: string, flags: number) => Promise<fs.FileHandle>;

const BATCH_BYTES = 1 << 20;

export class NextSession {
  private constructor(
    readonly id: string,
    readonly fh: fs.FileHandle,
    private readonly file: string,
    readonly bytes: number,
    readonly lastSeq: number,
    readonly digest: PrefixDigest,
  ) {}

  /** Writes `records` into `<current>.next` (opened with the writer's sync `flags`) and makes them durable. */
  static async write(
    paths: LogsPaths,
    open: OpenSessionFile,
    flags: number,
    id: string,
    records: Iterable<AppendRecord> | AsyncIterable<AppendRecord>,
    now: () => string,
  ): Promise<NextSession> {
    const file = `${paths.current}.next`;
    await fs.rm(file, { force: true }); // one a crash left behind mid-switch: the switch it belonged to never happened
    const fh = await open(file, flags | fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL);
    try {
      const digest = new PrefixDigest();
      let batch = new Batch(Buffer.allocUnsafe(BATCH_BYTES + (BATCH_BYTES >> 2)), 1);
      const flush = async () => {
        await writeAll(fh, [batch.bytes()], digest.counts.bytes);
        digest.append(batch.bytes(), batch.lines, batch.messages);
        batch = new Batch(batch.buf, batch.lastSeq + 1);
      };
      for await (const rec of records) {
        const { record, line } = recordLine(rec, now);
        if (batch.used > 0 && !batch.fits(line)) await flush();
        if (!batch.fits(line)) batch = new Batch(Buffer.allocUnsafe(lineBound(line)), batch.firstSeq);
        batch.add(line, record.kind === "message", record.ts);
        if (batch.used >= BATCH_BYTES) await flush();
      }
      if (batch.used > 0) await flush();
      await fh.datasync();
      return new NextSession(id, fh, file, digest.counts.bytes, batch.lastSeq, digest);
    } catch (err) {
      await fh.close().catch(() => {});
      await fs.rm(file, { force: true });
      throw err;
    }
  }

  /** Seals the active session `activeId` and puts this one in its place; returns the sealed file. */
  async swapIn(paths: LogsPaths, activeId: string): Promise<string> {
    const sealed = await freeSealedPath(paths.root, activeId);
    await fs.rename(paths.current, sealed);
    try {
      await fs.rename(this.file, paths.current);
    } catch (err) {
      await fs.rename(sealed, paths.current);
      throw err;
    }
    await fsyncDir(paths.sessions);
    await fsyncDir(paths.root);
    return sealed;
  }

  /** Gives up a session that was not swapped in. */
  async discard(): Promise<void> {
    await this.fh.close().catch(() => {});
    await fs.rm(this.file, { force: true });
  }
}

export function sessionStarted(id: string, loadedFrom: string | null): NewRecord {
  return { kind: "event", event: "session_started", session: id, ...(loadedFrom ? { loaded_from: loadedFrom } : {}) };
}
