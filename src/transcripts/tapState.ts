// Where the live taps stand: per transcript file how far its records are recorded, and per tap folder since when it
// is followed (taps.json in the logs folder, owner-only, replaced atomically). The file is saved only after the
// records it counts are durable, so it may lag behind the session but never run ahead of it; on start the session's
// records written after the saved position fill in the rest (catchUp), so a restart neither repeats nor skips a line.
import path from "node:path";
import { isMessage } from "../record.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { readPrivateFile } from "../storage/privateFile.ts";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { sealedFile } from "../storage/sessionFile.ts";
import { streamEntries } from "../storage/sessionReader.ts";
import { isLegacyTranscriptName, legacyKey } from "./legacyTap.ts";
import { isRewoundEvent } from "./rewindEvent.ts";
import type { ReadPosition } from "./transcriptReader.ts";
import { SOURCE_TOPICS, type TranscriptFormat } from "./types.ts";

export interface TappedFile extends ReadPosition {
  format: TranscriptFormat;
  dev: number;
  ino: number;
  /** The first line the tap recorded of the file: rewinds of lines before it are not the tap's to name. */
  first_line?: number;
  /** Lines a `transcript_rewound` event already named. */
  rewound?: number[];
  /** A legacy Gemini file (read whole): the ids of its messages recorded (legacyTap.ts). */
  ids?: string[];
}

export interface TapStateData {
  /** The session and its durable size when the file was saved: records after that point are found by catchUp. */
  session: string | null;
  session_bytes: number;
  /** Tap folder (format:dir) → when it was first followed: files found in it at that start are taken from their end. */
  folders: Record<string, string>;
  files: Record<string, TappedFile>;
}

const STATE_FILE = "taps.json";
const TOPICS = new Set(Object.values(SOURCE_TOPICS));

export async function loadTapState(logsDir: string): Promise<TapStateData> {
  const empty: TapStateData = { session: null, session_bytes: 0, folders: {}, files: {} };
  let text: string;
  try {
    text = await readPrivateFile(path.join(logsPaths(logsDir).root, STATE_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return empty;
    throw err;
  }
  try {
    return { ...empty, ...(JSON.parse(text) as Partial<TapStateData>) };
  } catch {
    return empty; // damaged: catchUp below still finds what the active session holds
  }
}

export function saveTapState(logsDir: string, state: TapStateData): Promise<void> {
  return writeFileAtomic(path.join(logsPaths(logsDir).root, STATE_FILE), `${JSON.stringify(state)}\n`);
}

/**
 * Advances the files' positions past every tapped record the sessions hold beyond the saved position, and takes in
 * the rewind events recorded there: the saved session from its saved size (it may have been sealed since), and the
 * active one from its start when it is another.
 */
export async function catchUp(logsDir: string, state: TapStateData, currentSession: string): Promise<void> {
  const current = logsPaths(logsDir).current;
  const scans: Array<[string, number]> = [];
  if (state.session && state.session !== currentSession) scans.push([sealedFile(logsDir, state.session), state.session_bytes], [current, 0]);
  else scans.push([current, state.session === currentSession ? state.session_bytes : 0]);
  for (const [file, from] of scans) {
    try {
      for await (const e of streamEntries(file, { startOffset: from, startIndex: -1 })) {
        const rec = e.record;
        if (rec && isRewoundEvent(rec)) {
          const known = state.files[rec.file];
          if (known) known.rewound = [...new Set([...(known.rewound ?? []), ...rec.lines])];
          continue;
        }
        const src = rec && isMessage(rec) && TOPICS.has(rec.topic) ? rec.meta.source : undefined;
        if (!src) continue;
        // A file first tapped after the last save is known from its records alone (its identity from the path).
        const known = (state.files[src.file] ??= { format: src.format, dev: -1, ino: -1, offset: 0, line: 1 });
        if (isLegacyTranscriptName(src.file)) {
          known.ids = [...new Set([...(known.ids ?? []), legacyKey(src)])];
          continue;
        }
        known.first_line = Math.min(known.first_line ?? src.line, src.line);
        const next = src.offset + src.length + 1;
        if (known.format === src.format && next > known.offset) Object.assign(known, { offset: next, line: src.line + 1 });
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
}
