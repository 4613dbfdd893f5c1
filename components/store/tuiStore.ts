// The UI's live data behind one subscribe/getSnapshot pair (React's useSyncExternalStore). Changes from the
// session file, the recorder status and background work are batched: at most one new snapshot per FRAME_MS, and
// nothing at all while nothing changes. The status file is read once a second (the status bar shows it).
import fs from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Entry } from "../../src/storage/entry.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { listCheckpoints, sessionFileOf, type CheckpointInfo } from "../../src/storage/checkpoints.ts";
import { readSessionId } from "../../src/storage/sessionFile.ts";
import { describeSessionFile, type SessionFile } from "../../src/search/sessionFiles.ts";
import { readRecorderState, type RecorderState } from "../../src/control/recorderStatus.ts";
import { storageSummary, type StorageSummary } from "../../src/backup/storageSummary.ts";
import { SessionView, type SessionSource } from "./sessionView.ts";

export const FRAME_MS = 60;
const STATUS_EVERY_MS = 1000;
const DISK_EVERY_MS = 5000;

/** What the message viewer reads its rows from: a session file (SessionView) or an archive (archiveRows.ts). */
export type RowView = Pick<SessionView, "source" | "open" | "indexOfSeq" | "row" | "want" | "closed" | "close" | "indexed" | "progress" | "total" | "error">;

export interface ViewInfo {
  source: SessionSource;
  total: number;
  indexed: boolean;
  progress: number | null;
  error: string | null;
  /** Bumps when the rows were renumbered (index built); the list keeps its place counted from the end. */
  rebased: number;
  /** Bumps when another file (or the same path anew) is opened: the list starts over. */
  generation: number;
}

export interface TuiSnapshot {
  /** Bumps on every change, so row data read through `row()` is redrawn. */
  version: number;
  view: ViewInfo | null;
  recorder: RecorderState | null;
  banner: string | null;
  checkpoints: CheckpointInfo[];
  /** The active session file as found on disk (for when no recorder reports on it). */
  currentFile: SessionFile | null;
  diskBytes: number | null;
  /** Compression of the sealed sessions and the last backup, measured with the disk use. */
  storage: StorageSummary | null;
  logsDir: string;
  /** The list's header and first row when they are not a logs folder's (an archive's sessions). */
  listHead: { header: string; first: { time: string; count: string; size: string; label: string } } | null;
}

export class TuiStore {
  private snapshot: TuiSnapshot;
  private listeners = new Set<() => void>();
  private flushTimer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private statusTimer: NodeJS.Timeout | null = null;
  private diskTimer: NodeJS.Timeout | null = null;
  protected view: RowView | null = null;
  private rebased = 0;
  private generation = 0;
  private next: Partial<TuiSnapshot> = {};

  constructor(readonly logsDir: string) {
    this.snapshot = { version: 0, view: null, recorder: null, banner: null, checkpoints: [], currentFile: null, diskBytes: null, storage: null, logsDir, listHead: null };
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): TuiSnapshot => this.snapshot;

  row(i: number): Entry | undefined {
    return this.view?.row(i);
  }

  want(start: number, end: number): void {
    this.view?.want(start, end);
  }

  /** Reads what the first screen needs, then keeps the status fresh. */
  async start(): Promise<void> {
    await Promise.all([this.openCurrent(), this.refreshCheckpoints(), this.refreshStatus()]);
    this.statusTimer = setInterval(() => void this.refreshStatus(), STATUS_EVERY_MS);
    this.statusTimer.unref();
  }

  async openCurrent(): Promise<void> {
    const file = logsPaths(this.logsDir).current;
    await this.open({ kind: "live", file, title: "current session (live)" });
  }

  /** The open view follows the current session. */
  isShowingCurrent(): boolean {
    return this.view?.source.kind === "live" && !this.view.closed;
  }

  /** The current session, reusing the open view when it already shows it. */
  async showCurrent(): Promise<void> {
    if (!this.isShowingCurrent()) await this.openCurrent();
  }

  async openCheckpoint(cp: CheckpointInfo): Promise<void> {
    const file = await sessionFileOf(this.logsDir, cp.session);
    await this.open({ kind: "fixed", file, title: `checkpoint ${cp.label || cp.id}`, records: cp.records, checkpoint: { id: cp.id, bytes: cp.bytes } });
  }

  /** Opens the session that holds a search hit (unless open already) and returns the hit's row, or -1. */
  async locate(sessionId: string, seq: number): Promise<number> {
    const current = this.snapshot.recorder?.status?.session.id ?? (await readSessionId(logsPaths(this.logsDir).current));
    const file = sessionId === current ? logsPaths(this.logsDir).current : await sessionFileOf(this.logsDir, sessionId);
    if (this.view?.source.file !== file) {
      if (file === logsPaths(this.logsDir).current) await this.openCurrent();
      else await this.open({ kind: "fixed", file, title: `session ${sessionId} (sealed)` });
    }
    return (await this.view?.indexOfSeq(seq)) ?? -1;
  }

  async refreshCheckpoints(): Promise<void> {
    const [checkpoints, currentFile] = await Promise.all([
      listCheckpoints(this.logsDir).catch(() => [] as CheckpointInfo[]),
      describeSessionFile(logsPaths(this.logsDir).current).catch(() => null),
    ]);
    this.set({ checkpoints, currentFile });
  }

  /** Something outside the snapshot changed (e.g. indexing progress the panes show): draw a new frame. */
  touch(): void {
    this.changed();
  }

  /** A key press draws a frame at once: changes waiting for their batch go into it instead of a frame of their own. */
  flushPending(): void {
    if (this.flushTimer) this.flushNow();
  }

  setBanner(banner: string | null): void {
    this.set({ banner });
  }

  /** Disk use and storage are only measured while the diagnostics pane shows them. */
  watchDisk(on: boolean): void {
    if (this.diskTimer) clearInterval(this.diskTimer);
    this.diskTimer = null;
    if (!on) return;
    const measure = () => {
      void folderBytes(this.logsDir).then((diskBytes) => this.set({ diskBytes }));
      // A sealed session that goes meanwhile is skipped inside; anything else that fails leaves the last figures
      // shown until the next measure rather than blanking the lines.
      void storageSummary(this.logsDir).then((storage) => this.set({ storage }), () => undefined);
    };
    measure();
    this.diskTimer = setInterval(measure, DISK_EVERY_MS);
    this.diskTimer.unref();
  }

  dispose(): void {
    for (const t of [this.flushTimer, this.statusTimer, this.diskTimer]) if (t) clearTimeout(t);
    this.view?.close();
    this.listeners.clear();
  }

  protected async open(
    source: SessionSource,
    viewOf: (onChange: (why: "rows" | "rebased" | "replaced") => void) => RowView = (onChange) => new SessionView(source, onChange),
  ): Promise<void> {
    this.view?.close();
    this.generation++;
    const view = viewOf((why) => {
      if (why === "rebased") this.rebased++;
      if (why === "replaced") void this.openCurrent();
      this.changed();
    });
    this.view = view;
    try {
      await view.open();
    } catch (err) {
      view.error = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no session yet: nothing recorded in this logs folder" : String(err);
    }
    this.flushNow(); // the first screen of a session is not held back by batching
  }

  private async refreshStatus(): Promise<void> {
    const recorder = await readRecorderState(this.logsDir).catch(() => null);
    const before = this.snapshot.recorder?.status;
    const after = recorder?.status;
    // Only a change worth drawing makes a new frame: an idle recorder rewrites its status with the same figures.
    if (JSON.stringify(strip(before)) !== JSON.stringify(strip(after)) || this.snapshot.recorder?.alive !== recorder?.alive) {
      this.set({ recorder });
    }
    // Load / new / checkpoints (from any client) change the list; the session view notices replacement itself.
    if (before?.session.id !== after?.session.id || before?.last_checkpoint?.id !== after?.last_checkpoint?.id) {
      void this.refreshCheckpoints();
    }
    // A session file that did not exist yet when opened: the recorder has made it now.
    if (this.view?.source.kind === "live" && this.view.error && recorder?.alive) void this.openCurrent();
  }

  protected set(part: Partial<TuiSnapshot>): void {
    Object.assign(this.next, part);
    this.changed();
  }

  /** The first change after a quiet spell is drawn at once; changes that follow within FRAME_MS are batched. */
  private changed(): void {
    if (this.flushTimer) return;
    const wait = Math.max(0, this.lastFlush + FRAME_MS - performance.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  private flushNow(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flush();
  }

  private flush(): void {
    this.flushTimer = null;
    this.lastFlush = performance.now();
    const v = this.view;
    const view: ViewInfo | null = v
      ? { source: v.source, total: v.total, indexed: v.indexed, progress: v.progress, error: v.error, rebased: this.rebased, generation: this.generation }
      : null;
    this.snapshot = { ...this.snapshot, ...this.next, view, version: this.snapshot.version + 1 };
    this.next = {};
    for (const fn of this.listeners) fn();
  }
}

/** The status without the fields that change on every rewrite even when nothing happened. */
function strip(s: RecorderState["status"] | undefined) {
  if (!s) return s;
  const { updated_at: _u, ...rest } = s;
  return rest;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(p);
    else total += await fs.stat(p).then((s) => s.size, () => 0);
  }
  return total;
}
