// Torn-tail repair of a session file after a crash. Only the tail is read, so it is as fast on 1 GB as on 1 KB.
// A partial last line, or an unparsable last line, is cut: its bytes go to recovery/crash_recovery.jsonl first (with
// what was done and why), then the file is truncated and synced. Damage further up is reported, never cut.
import fs from "node:fs/promises";
import path from "node:path";
import { parseRecordLine, timestamp, type SessionRecord } from "../record.ts";
import { fsyncDir } from "./atomicFile.ts";
import { ensurePrivateDir } from "./logsDir.ts";
import { openPrivate } from "./privateFile.ts";

const NL = 0x0a;
const BACK_CHUNK = 64 * 1024;
/** How far back from the end lines are checked for damage (and searched for the last good record). */
const TAIL_WINDOW = 1 << 20;

export interface ByteRange {
  offset: number;
  length: number;
  reason: string;
}

/** A damaged line kept in place, with the seq its first bytes still show. */
export interface DamagedLine extends ByteRange {
  seq?: number;
  /** A `recovered` event after it already names it (an earlier open found it). */
  reported?: true;
}

export interface RecoveryResult {
  file: string;
  /** Size of the file after repair. */
  size: number;
  /** What was cut from the end (and saved to the recovery log), if anything. */
  cut?: ByteRange;
  /** Damaged lines found near the end and left in place (readers mark them). */
  damaged: DamagedLine[];
  /** The last record that parses, or null when none is found near the end. */
  lastRecord: SessionRecord | null;
  /**
   * The highest `seq` the file ever held, the cut bytes included: numbering continues after it, so a seq is never
   * given twice. A cut line whose seq cannot be read counts as one after the last record's. 0 when none is known.
   */
  maxSeq: number;
}

/** Every line begins so (the session writer writes `v` and `seq` first). */
const SEQ_PREFIX = /^\{"v":1,"seq":(\d{1,16})[,}]/;

export async function recoverSessionFile(file: string, recoveryLog: string): Promise<RecoveryResult> {
  const fh = await openPrivate(file, "r+");
  try {
    const size = (await fh.stat()).size;
    let end = size;
    const reasons: string[] = [];
    if (end > 0 && (await byteAt(fh, end - 1)) !== NL) {
      end = await lineStartBefore(fh, end);
      reasons.push("partial last line");
    }
    if (end > 0) {
      const start = await lineStartBefore(fh, end - 1);
      if (!parses(await readRange(fh, start, end - 1 - start))) {
        end = start;
        reasons.push("unparsable last line");
      }
    }
    let cut: ByteRange | undefined;
    let cutBytes: Buffer = Buffer.alloc(0);
    if (end < size) {
      cut = { offset: end, length: size - end, reason: reasons.join(", ") };
      cutBytes = await readRange(fh, end, size - end);
      await saveCutBytes(recoveryLog, file, cut, cutBytes);
      await fh.truncate(end);
      await fh.sync();
    }
    const { damaged, lastRecord } = await inspectTail(fh, end);
    const maxSeq = Math.max(lastRecord?.seq ?? 0, ...damaged.map((d) => d.seq ?? 0), highestSeqIn(cutBytes, lastRecord?.seq ?? 0));
    return { file, size: end, ...(cut ? { cut } : {}), damaged, lastRecord, maxSeq };
  } finally {
    await fh.close();
  }
}

/** The `recovered` event a writer appends after a repair, naming what it cut and the damaged lines not named before. */
export function recoveredEvent(r: RecoveryResult): { kind: "event"; event: "recovered"; [k: string]: unknown } {
  const damaged = r.damaged.filter((d) => !d.reported);
  return { kind: "event", event: "recovered", cut: r.cut ?? null, damaged, log: "recovery/crash_recovery.jsonl" };
}

async function saveCutBytes(recoveryLog: string, file: string, cut: ByteRange, bytes: Buffer): Promise<void> {
  await ensurePrivateDir(path.dirname(recoveryLog));
  const entry = {
    at: timestamp(),
    file: path.basename(file),
    offset: cut.offset,
    length: cut.length,
    reason: cut.reason,
    action: "truncated",
    bytes_base64: bytes.toString("base64"),
  };
  const log = await openPrivate(recoveryLog, "a");
  try {
    await log.write(JSON.stringify(entry) + "\n");
    await log.sync();
  } finally {
    await log.close();
  }
  await fsyncDir(path.dirname(recoveryLog));
}

/** Checks the complete lines in the last TAIL_WINDOW bytes before `end` (which is 0 or just after a newline). */
async function inspectTail(fh: fs.FileHandle, end: number): Promise<{ damaged: DamagedLine[]; lastRecord: SessionRecord | null }> {
  const damaged: DamagedLine[] = [];
  let lastRecord: SessionRecord | null = null;
  if (end === 0) return { damaged, lastRecord };
  // The window starts at a line start, and always takes in at least the whole last line however long it is.
  const windowStart = Math.min(await lineStartBefore(fh, Math.max(0, end - TAIL_WINDOW)), await lineStartBefore(fh, end - 1));
  const buf = await readRange(fh, windowStart, end - windowStart);
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(NL, pos);
    const line = buf.subarray(pos, nl);
    const record = parseOrNull(line);
    if (record) {
      lastRecord = record;
      markReported(damaged, record);
    } else {
      const seq = seqOf(line);
      damaged.push({ offset: windowStart + pos, length: line.length, reason: "unparsable line", ...(seq !== undefined ? { seq } : {}) });
    }
    pos = nl + 1;
  }
  return { damaged, lastRecord };
}

/** Offset just after the last newline before `pos` (0 when there is none): the start of the line holding `pos`. */
export async function lineStartBefore(fh: fs.FileHandle, pos: number): Promise<number> {
  let end = pos;
  while (end > 0) {
    const start = Math.max(0, end - BACK_CHUNK);
    const buf = await readRange(fh, start, end - start);
    const nl = buf.lastIndexOf(NL);
    if (nl !== -1) return start + nl + 1;
    end = start;
  }
  return 0;
}

async function byteAt(fh: fs.FileHandle, pos: number): Promise<number> {
  return (await readRange(fh, pos, 1))[0];
}

async function readRange(fh: fs.FileHandle, pos: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, pos + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.subarray(0, done);
}

/** A `recovered` event names the damaged lines it found: they are not news to a later open. */
function markReported(damaged: DamagedLine[], record: SessionRecord): void {
  if (record.kind !== "event" || record.event !== "recovered" || !Array.isArray(record.damaged)) return;
  const named = new Set((record.damaged as { offset?: unknown }[]).map((d) => d.offset));
  for (const d of damaged) if (named.has(d.offset)) d.reported = true;
}

function seqOf(line: Buffer): number | undefined {
  const m = SEQ_PREFIX.exec(line.toString("latin1", 0, 32));
  return m ? Number(m[1]) : undefined;
}

/** The highest seq the cut lines held: the one each shows, or for one that shows none, one after the line before. */
function highestSeqIn(cut: Buffer, before: number): number {
  let highest = before;
  for (let pos = 0; pos < cut.length; ) {
    const nl = cut.indexOf(NL, pos);
    const end = nl === -1 ? cut.length : nl;
    highest = Math.max(highest + 1, seqOf(cut.subarray(pos, end)) ?? 0);
    pos = end + 1;
  }
  return highest;
}

function parseOrNull(line: Buffer): SessionRecord | null {
  try {
    return parseRecordLine(line.toString("utf8"));
  } catch {
    return null;
  }
}

function parses(line: Buffer): boolean {
  return parseOrNull(line) !== null;
}
