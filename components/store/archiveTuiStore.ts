// The TUI's data from a team archive, read-only: the list holds every source's sessions, grouped by host (and
// folder), newest first, after a first row with every source's lines together; the viewer reads its rows from the
// archive a page at a time (archiveRows.ts). Nothing here writes: no recorder, no checkpoints, no disk to measure.
import type { ArchivedSession, ArchiveStore } from "../../src/archive/archiveStore.ts";
import type { CheckpointInfo } from "../../src/storage/checkpoints.ts";
import { bytesText, minuteOf } from "../format.ts";
import { ArchiveRows, POLL_MS, type ArchiveScope } from "./archiveRows.ts";
import { TuiStore } from "./tuiStore.ts";

/** How often the list of sessions is read again (pushes add sessions and records). */
const SESSIONS_EVERY_MS = 5 * POLL_MS;

/** A session of the list as the checkpoint list shows a row: its id is `source/session`, as search hits name it. */
export function sessionRow(s: ArchivedSession, label: string): CheckpointInfo {
  return { id: archiveKey(s.source, s.session), label, created_at: s.lastTs ?? "", session: s.session, messages: s.records, records: s.records, bytes: s.bytes, last_seq: s.lastSeq, file: "" };
}

export function archiveKey(source: string, session: string): string {
  return `${source}/${session}`;
}

export class ArchiveTuiStore extends TuiStore {
  #sessions: ArchivedSession[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly archive: ArchiveStore,
    /** The archive's URL as shown (no password). */
    private readonly shown: string,
  ) {
    super(shown);
  }

  override async start(): Promise<void> {
    await Promise.all([this.openCurrent(), this.refreshCheckpoints()]);
    this.#timer = setInterval(() => void this.refreshCheckpoints().catch(() => undefined), SESSIONS_EVERY_MS);
    this.#timer.unref();
  }

  /** Every source's lines, in the order stored, followed as pushes add to them. */
  override async openCurrent(): Promise<void> {
    await this.#openScope({}, { kind: "live", file: this.shown, title: "every source (archive)" });
  }

  override async openCheckpoint(cp: CheckpointInfo): Promise<void> {
    const s = this.#sessions.find((x) => archiveKey(x.source, x.session) === cp.id);
    if (!s) throw new Error(`session ${cp.session} is no longer in the archive`);
    await this.#openSession(s);
  }

  /** `sessionKey` is `source/session`, as the archive's search hits name their session. */
  override async locate(sessionKey: string, seq: number): Promise<number> {
    let s = this.#sessions.find((x) => archiveKey(x.source, x.session) === sessionKey);
    if (!s) {
      await this.refreshCheckpoints();
      s = this.#sessions.find((x) => archiveKey(x.source, x.session) === sessionKey);
    }
    if (!s) return -1;
    const open = this.view instanceof ArchiveRows ? this.view.scope : null;
    if (open?.source !== s.source || open?.session !== s.session) await this.#openSession(s);
    return (await this.view?.indexOfSeq(seq)) ?? -1;
  }

  override async refreshCheckpoints(): Promise<void> {
    this.#sessions = await this.archive.sessions();
    const labels = labelsOf(this.#sessions);
    const records = this.#sessions.reduce((n, s) => n + s.records, 0);
    const newest = this.#sessions.reduce<string | null>((m, s) => (s.lastTs && (!m || s.lastTs > m) ? s.lastTs : m), null);
    const bytes = this.#sessions.reduce((n, s) => n + s.bytes, 0);
    this.set({
      checkpoints: this.#sessions.map((s, i) => sessionRow(s, labels[i])),
      listHead: {
        header: "Archive sessions by host — Enter view · read-only",
        first: { time: newest ? minuteOf(newest) : "—", count: `${records} rec`, size: bytesText(bytes), label: "every source" },
      },
    });
  }

  /** No disk of the archive's to measure. */
  override watchDisk(): void {}

  override dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
    super.dispose();
  }

  async #openSession(s: ArchivedSession): Promise<void> {
    await this.#openScope({ source: s.source, session: s.session }, { kind: "fixed", file: this.shown, title: `session ${s.session} · ${s.host}` });
  }

  async #openScope(scope: ArchiveScope, source: ArchiveRows["source"]): Promise<void> {
    await this.open(source, (onChange) => new ArchiveRows(this.archive, scope, source, onChange));
  }
}

/** `host · session`; a host with several folders names the folder after. */
function labelsOf(sessions: ArchivedSession[]): string[] {
  const folders = new Map<string, Set<string>>();
  for (const s of sessions) folders.set(s.host, (folders.get(s.host) ?? new Set()).add(s.folder));
  return sessions.map((s) => `${s.host} · ${s.session}${folders.get(s.host)!.size > 1 ? ` · ${s.folder}` : ""}`);
}
