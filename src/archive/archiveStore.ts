// The one interface every archive backend implements (PostgreSQL, SQLite): what `archive push` writes through and
// what `search` / `view` / `archive status` read through. A record's identity is (source, session, seq): a backend
// stores each once, however often it is given.
import type { WordMatch } from "../search/fuzzy.ts";
import type { Query, QueryWord } from "../search/queryParser.ts";
import type { CheckpointInfo } from "../storage/checkpoints.ts";
import type { ArchiveLocation } from "./archiveUrl.ts";
import type { ArchiveRow } from "./archiveRow.ts";
import type { SourceInfo } from "./sourceIdentity.ts";

/** How much of one session an archive holds: its records up to `lastSeq`, the file's first `bytes` bytes. */
export interface SessionPosition {
  lastSeq: number;
  bytes: number;
}

export type ArchivedCheckpoint = Omit<CheckpointInfo, "file">;

export interface SourceStatus extends SourceInfo {
  sessions: number;
  records: number;
  checkpoints: number;
  /** The newest record's time, the last push's time. */
  lastRecordAt: string | null;
  lastPushAt: string | null;
  /** Bytes of its session files the archive did not hold when the source last pushed. */
  behindBytes: number;
}

/** One stored line and where it came from. `id` grows with every line stored (following reads after it). */
export interface ArchivedLine {
  id: number;
  source: string;
  host: string;
  session: string;
  seq: number;
  offset: number;
  line: string;
}

/**
 * Which lines, in which order: a session's by seq, or, with `afterId` / `upToId`, in the order stored (by id; within
 * a session that is also seq order), else every source's by time.
 */
export interface LineSelection {
  session?: string;
  /** Only records up to this seq (a checkpoint's end). */
  upToSeq?: number;
  /** The last N (in the order they are read)… */
  tail?: number;
  /** …after passing over this many of the last (a page of the viewer, counted from the end). */
  skip?: number;
  /** The first N (a stretch of a stream read in pages, `archiveReading.ts` readLines). */
  limit?: number;
  /** Only lines stored after this id (`view --follow`)… */
  afterId?: number;
  /** …or up to this id (the viewer's rows, as they were counted). */
  upToId?: number;
  sources?: string[];
}

/** A session as the archive holds it, with the logs folder it came from. */
export interface ArchivedSession {
  source: string;
  host: string;
  folder: string;
  session: string;
  records: number;
  lastSeq: number;
  /** The newest record's time. */
  lastTs: string | null;
  bytes: number;
}

/** A search hit as a backend finds it; archiveSearch.ts turns it into the same shape as a local hit. */
export interface ArchiveMatch {
  source: string;
  session: string;
  seq: number;
  offset: number;
  length: number;
  ts: string;
  line: string;
  /** Named by a tap's rewind event (tappedRewinds.ts); an imported message's line says so itself (meta.rewound). */
  rewound: boolean;
  /** Lower is better. */
  score: number;
}

export interface MatchRequest {
  query: Query;
  words: WordMatch[];
  withTypos: boolean;
  /** Only messages of these sources (host: / origin:), or of every source when undefined. */
  sources?: string[];
  limit: number;
}

export interface ArchiveStore {
  readonly location: ArchiveLocation;
  /** Applies the migrations not applied yet (safe when several hosts do it at once); returns the versions. */
  migrate(): Promise<{ from: number; to: number }>;
  /** The schema's version, 0 when none: readers refuse an archive not migrated. */
  schemaVersion(): Promise<number>;

  registerSource(source: SourceInfo): Promise<void>;
  positions(sourceId: string): Promise<Map<string, SessionPosition>>;
  /**
   * Stores the rows of one session with seq above what the archive holds, and the new position, in one
   * transaction: all of it or nothing. Returns how many rows were new.
   */
  append(sourceId: string, session: string, rows: ArchiveRow[], to: SessionPosition): Promise<number>;
  /** What the source's session files held when it last looked (for `behindBytes`). */
  noteSeen(sourceId: string, fileBytes: Map<string, number>): Promise<void>;
  addCheckpoints(sourceId: string, checkpoints: ArchivedCheckpoint[]): Promise<number>;

  sources(): Promise<SourceStatus[]>;
  checkpoint(id: string, sources?: string[]): Promise<(ArchivedCheckpoint & { source: string })[]>;
  /** Every source's sessions, by host, folder, newest first. */
  sessions(): Promise<ArchivedSession[]>;
  lines(selection: LineSelection): Promise<ArchivedLine[]>;
  /** Of these lines (by id), the messages a tap's rewind event named (tappedRewinds.ts): one query for them all. */
  tappedRewound(ids: number[]): Promise<Set<number>>;
  /** How many lines a selection holds (its `tail`, `skip` and `limit` aside). */
  count(selection: LineSelection): Promise<number>;
  /** The terms a query word matches in the archive's vocabulary: as typed, and within its typos. */
  wordMatch(word: QueryWord): Promise<WordMatch>;
  matches(request: MatchRequest): Promise<ArchiveMatch[]>;
  close(): Promise<void>;
}
