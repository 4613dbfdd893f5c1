// `shearwater import`: each transcript file into a sealed session of its own, idempotently. A file seen before
// adds only the lines after the last one its session holds (the session's last record names its source line and
// bytes); a file replaced by another (new inode, shorter, or its last imported line changed) goes into a new
// session. Files are read as a stream: a 100 MB transcript costs a chunk of memory, not its size. A session compaction
// has stored in another form (compressed, encrypted) cannot be appended to: what its transcript gained goes into a
// session that continues it, from the line after its last record (read with the key, for an encrypted one).
import fs from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import type { Tokens } from "../record.ts";
import { createCheckpoint, type CheckpointInfo } from "../storage/checkpoints.ts";
import { parseRecordLine } from "../record.ts";
import { readFirstRecord, sealedFile } from "../storage/sessionFile.ts";
import { SessionReader } from "../storage/sessionReader.ts";
import { storedFormsOf } from "../storage/sessionSource.ts";
import { detectKind, type FileKind } from "./detect.ts";
import { findTranscriptFiles } from "./discover.ts";
import { isKnownType, rewindFinderFor } from "./formats.ts";
import { legacyRecords } from "./geminiLegacy.ts";
import { ImportedSession } from "./importedSession.ts";
import { withImportState, type ImportedSource } from "./importState.ts";
import type { TranscriptRecord } from "./records.ts";
import { TranscriptReader } from "./transcriptReader.ts";
import { SOURCE_TOPICS, type TranscriptFormat } from "./types.ts";

export type ImportStatus = "new" | "grown" | "unchanged" | "replaced" | "skipped" | "failed";

export interface FileImport {
  file: string;
  status: ImportStatus;
  format?: TranscriptFormat;
  session?: string;
  /** The checkpoint taken of the session after this import added to it. */
  checkpoint?: string;
  /** Records added by this import, and of them: conversation messages (not system records), tool calls. */
  records: number;
  messages: number;
  tool_calls: number;
  tokens: Record<string, Tokens>;
  /** Source record types the parser does not know (kept all the same). */
  unknown_types: string[];
  ms: number;
  /** Why it was skipped or failed, or why a replaced file went into a new session. */
  reason?: string;
}

export interface ImportOptions {
  /** Read every file as this format instead of detecting it. */
  format?: TranscriptFormat;
}

export async function importTranscripts(logsDir: string, paths: string[], opts: ImportOptions = {}): Promise<FileImport[]> {
  const found = await findTranscriptFiles(paths);
  const results: FileImport[] = found.problems.map((p) => ({ ...empty(p.path, "failed"), reason: p.reason }));
  await withImportState(logsDir, async (state) => {
    for (const file of found.files) {
      const t0 = performance.now();
      let result: FileImport;
      try {
        result = await importFile(logsDir, file, state.sources, opts, () => state.save());
      } catch (err) {
        result = { ...empty(file, "failed"), reason: (err as Error).message };
      }
      result.ms = Math.round(performance.now() - t0);
      results.push(result);
    }
  });
  return results;
}

/** What a resumed import starts from: the line after the one the session's last record came from. */
interface Resume {
  offset: number;
  line: number;
}

async function importFile(
  logsDir: string,
  file: string,
  sources: Record<string, ImportedSource>,
  opts: ImportOptions,
  save: () => Promise<void>,
): Promise<FileImport> {
  const fh = await fs.open(file, "r");
  try {
    const st = await fh.stat();
    if (st.size === 0) return { ...empty(file, "skipped"), reason: "empty" };
    const kind: FileKind | null = opts.format ?? (await detectKind(file, fh));
    if (!kind) return { ...empty(file, "skipped"), reason: "not a Claude Code, Gemini CLI or Codex CLI transcript" };
    const format: TranscriptFormat = kind === "gemini-legacy" ? "gemini" : kind;
    const known = sources[file];
    let status: ImportStatus = "new";
    let reason: string | undefined;
    let opened: { session: ImportedSession; resume: Resume } | null = null;
    // A legacy Gemini file is rewritten whole (a new inode each time): it is the same conversation as long as the
    // message last imported is still where it was (resumePoint checks it).
    const sameFile = known && (kind === "gemini-legacy" || (known.dev === st.dev && known.ino === st.ino));
    const stored = sameFile ? await storedForm(logsDir, known.session) : null;
    if (stored) {
      // Read errors (no key for an encrypted session) fail the file: imported again from its start, it would count twice.
      const last = await lastImported(stored);
      const resume = await (last ? resumePoint(fh, kind, last, st.size) : Promise.resolve({ offset: 0, line: 1 })).catch((err: Error) => {
        reason = `continued in a new session: ${err.message}`;
        return null;
      });
      if (resume && (await nothingAfter(kind, file, resume, st.size))) return { ...empty(file, "unchanged"), format, session: known.session };
      if (resume) {
        const session = await ImportedSession.create(logsDir, file, { format, file, continues: known.session, from: resume });
        sources[file] = { kind, session: session.id, dev: st.dev, ino: st.ino };
        await save();
        opened = { session, resume };
      }
      status = opened ? "grown" : "replaced";
    } else if (sameFile) {
      opened = await resumeSession(logsDir, known.session, file, fh, kind, st.size).catch((err: Error) => {
        reason = `continued in a new session: ${err.message}`;
        return null;
      });
      status = opened ? "grown" : "replaced";
    } else if (known) {
      status = "replaced";
      reason = "the file was replaced: imported into a new session";
    }
    if (opened && kind !== "gemini-legacy" && opened.resume.offset >= st.size) {
      await opened.session.close();
      return { ...empty(file, "unchanged"), format, session: opened.session.id };
    }
    if (!opened) {
      const session = await ImportedSession.create(logsDir, file, { format, file });
      sources[file] = { kind, session: session.id, dev: st.dev, ino: st.ino };
      await save(); // before any record: a crash from here on resumes this session instead of starting another
      opened = { session, resume: { offset: 0, line: 1 } };
    }
    const { session, resume } = opened;
    let result: FileImport;
    try {
      result = { ...(await writeRecords(session, fh, kind, resume)), status, format, session: session.id, ...(reason ? { reason } : {}) };
    } finally {
      await session.close();
    }
    if (result.records === 0) return { ...result, status: status === "grown" ? "unchanged" : status };
    result.checkpoint = (await checkpointOf(logsDir, session, `import ${SOURCE_TOPICS[format]} ${sourceName(file)}`)).id;
    return result;
  } finally {
    await fh.close();
  }
}

async function resumeSession(logsDir: string, id: string, source: string, fh: fs.FileHandle, kind: FileKind, size: number): Promise<{ session: ImportedSession; resume: Resume }> {
  const { session, last } = await ImportedSession.reopen(logsDir, id, source);
  try {
    const resume = last ? await resumePoint(fh, kind, last, size) : await startOf(session.file);
    return { session, resume };
  } catch (err) {
    await session.close();
    throw err;
  }
}

/** The file a session is stored as when compaction has replaced its plain file, or null when that is still there. */
async function storedForm(logsDir: string, id: string): Promise<string | null> {
  const [plain, ...stored] = storedFormsOf(sealedFile(logsDir, id));
  const exists = (f: string) => fs.access(f).then(() => true, () => false);
  if (await exists(plain)) return null;
  for (const f of stored) if (await exists(f)) return f;
  return null;
}

/** The last record of a stored imported session when it is a transcript's line (as ImportedSession.reopen gives it). */
async function lastImported(stored: string): Promise<TranscriptRecord | null> {
  const reader = await SessionReader.open(stored);
  try {
    const [entry] = await reader.tail(1);
    const last = entry ? parseRecordLine(entry.raw) : null;
    return last && last.kind === "message" && last.meta.source ? (last as unknown as TranscriptRecord) : null;
  } finally {
    await reader.close();
  }
}

/** Where a session without a transcript's line yet starts: the file's start, or where the session it continues ended. */
async function startOf(file: string): Promise<Resume> {
  const first = await readFirstRecord(file);
  const from = first && "imported_from" in first ? (first.imported_from as { from?: Resume }).from : undefined;
  return from ?? { offset: 0, line: 1 };
}

/** Whether the file holds nothing after the resume point (a continuing session is made only for something new). */
async function nothingAfter(kind: FileKind, file: string, resume: Resume, size: number): Promise<boolean> {
  if (kind === "gemini-legacy") return (await legacyRecords(file)).length < resume.line;
  return resume.offset >= size;
}

/** The line after the last one imported, once it is checked that the file still holds that line. */
async function resumePoint(fh: fs.FileHandle, kind: FileKind, last: TranscriptRecord, size: number): Promise<Resume> {
  const src = last.meta.source;
  if (kind === "gemini-legacy") {
    const records = await legacyRecords(last.meta.source.file);
    if (records[src.line - 1]?.meta.source.id !== src.id) throw new Error(`message ${src.line - 1} is not the one imported`);
    return { offset: 0, line: src.line + 1 };
  }
  const end = src.offset + src.length;
  if (end >= size) throw new Error("the file is shorter than what was imported from it");
  const bytes = Buffer.alloc(src.length);
  await fh.read(bytes, 0, src.length, src.offset);
  if (!sameLine(bytes, last)) throw new Error(`line ${src.line} is not the one imported`);
  return { offset: end + 1, line: src.line + 1 };
}

function sameLine(bytes: Buffer, last: TranscriptRecord): boolean {
  const text = bytes.toString("utf8").replace(/^\ufeff/, "");
  if (last.frames) return last.frames[0] && "text" in last.frames[0] ? last.frames[0].text === bytes.toString("utf8") : false;
  try {
    return isDeepStrictEqual(JSON.parse(text), last.payload);
  } catch {
    return false;
  }
}

/**
 * The records from `from` on, added to the session. Rewinds are known only at the end of the file: the lines are
 * read once, and only when that shows some of the lines just added rewound (rare) are they written again, marked.
 */
async function writeRecords(session: ImportedSession, fh: fs.FileHandle, kind: FileKind, from: Resume): Promise<FileImport> {
  const file = session.source;
  if (kind === "gemini-legacy") {
    const result = empty(file, "new");
    for (const rec of (await legacyRecords(file)).slice(from.line - 1)) await added(session, result, rec);
    return result;
  }
  const finder = rewindFinderFor(kind);
  const start = session.mark();
  const once = await addAll(session, fh, new TranscriptReader(file, kind, undefined, finder ? (l, v) => finder.add(l, v) : undefined), from);
  const rewound = finder?.rewound();
  if (!rewound || ![...rewound].some((line) => line >= from.line)) return once;
  await session.backTo(start);
  return addAll(session, fh, new TranscriptReader(file, kind, rewound), from);
}

async function addAll(session: ImportedSession, fh: fs.FileHandle, reader: TranscriptReader, from: Resume): Promise<FileImport> {
  const result = empty(session.source, "new");
  await reader.readEach(fh, from.offset, (rec) => added(session, result, rec));
  return result;
}

/** Adds the record, counted in the result; a promise only when a full buffer waits for the disk. */
function added(session: ImportedSession, result: FileImport, rec: TranscriptRecord): Promise<void> | void {
  count(result, rec);
  return session.add(rec);
}

function count(result: FileImport, rec: TranscriptRecord): void {
  const m = rec.meta;
  result.records++;
  if (m.role !== "system") result.messages++;
  result.tool_calls += m.tool_calls?.length ?? 0;
  if (m.tokens) {
    const sum = (result.tokens[m.model ?? "unknown"] ??= { input: 0, output: 0, cache_read: 0, cache_write: 0 });
    for (const k of ["input", "output", "cache_read", "cache_write"] as const) sum[k] += m.tokens[k];
  }
  if (!isKnownType(m.source.format, m.source.type) && !result.unknown_types.includes(m.source.type)) result.unknown_types.push(m.source.type);
}

/** A checkpoint of the whole imported session, so that it is listed, viewable and loadable like any other. */
async function checkpointOf(logsDir: string, session: ImportedSession, label: string): Promise<CheckpointInfo> {
  return createCheckpoint(logsDir, await session.snapshot(), label);
}

/** A short name for labels: the file's name, with its folder for subagent files. */
function sourceName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts.at(-2) === "subagents" ? `${parts.at(-3)}/${parts.at(-1)}` : parts.at(-1)!;
}

function empty(file: string, status: ImportStatus): FileImport {
  return { file, status, records: 0, messages: 0, tool_calls: 0, tokens: {}, unknown_types: [], ms: 0 };
}
