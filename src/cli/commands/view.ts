// `shearwater view [--checkpoint ID | --session ID] [--tail N] [--follow] [--json]`: print a session's records (the
// active one, a sealed or imported one by its id, or a checkpoint's), one line each, and with --follow keep printing
// new ones like `tail -f` until Ctrl+C. The human lines mark the
// messages a live tap's rewind event took back, as imported ones are marked (markedEntries.ts); --json prints the
// lines as stored.
import type { Command } from "commander";
import fs from "node:fs/promises";
import { UsageError } from "../../config.ts";
import { isMessage, type SessionRecord } from "../../record.ts";
import { markedEntries, markLines } from "../../search/markedEntries.ts";
import { readCheckpoint, sessionFileOf } from "../../storage/checkpoints.ts";
import { followSession } from "../../storage/follow.ts";
import { logsPaths } from "../../storage/logsDir.ts";
import { SessionReader, streamEntries, type Entry } from "../../storage/sessionReader.ts";
import { sanitizeForTerminal, snippetOf } from "../../text/sanitize.ts";
import { isAside, speakerOf } from "../../text/speaker.ts";
import { escapeJsonForTerminal, terminalJson } from "../../text/terminalJson.ts";
import { clipToWidth } from "../../text/width.ts";
import { viewArchive } from "../archiveView.ts";
import { untilInterrupted } from "../untilInterrupted.ts";
import { logsDirOf, withLogs } from "../options.ts";
import { allowPassphrasePrompt } from "../../crypto/passphrasePrompt.ts";

interface ViewOptions {
  checkpoint?: string;
  tail?: string;
  follow?: boolean;
  json?: boolean;
  logs?: string;
  archive?: string | true;
  session?: string;
}

/** Lines shown before following when --tail is not given, as `tail -f` does. */
const FOLLOW_DEFAULT_TAIL = 10;
const FLUSH_BYTES = 1024 * 1024;

export function register(program: Command): void {
  const cmd = program
    .command("view")
    .description("print the active session's records (or a sealed session's, or a checkpoint's), one line each")
    .option("--checkpoint <id>", "print the records of this checkpoint instead")
    .option("--tail <n>", "only the last N records")
    .option("-f, --follow", `keep printing new records as they arrive, until Ctrl+C (starts with the last ${FOLLOW_DEFAULT_TAIL} unless --tail)`)
    .option("--json", "print records as JSON lines as stored, characters a terminal acts on as \\u escapes (damaged lines as {damaged, offset, raw})")
    .option("--archive [url]", "print from a team archive instead (every source in time order; URL: env SHEARWATER_ARCHIVE)")
    .option("--session <id>", "print this session's records (active, sealed or imported; with --archive, the archive's)")
    .addHelpText("after", "\nLines: HH:MM:SS (UTC) sender → recipient [tier/chain] text. Events start with ·, damaged lines with ⚠.");
  withLogs(cmd).action((opts: ViewOptions) => {
    allowPassphrasePrompt();
    return view(opts);
  });
}

async function view(opts: ViewOptions): Promise<void> {
  const tail = opts.tail === undefined ? undefined : parseCount(opts.tail);
  if (opts.follow && opts.checkpoint) throw new UsageError("--follow cannot be used with --checkpoint (a checkpoint never changes)");
  if (opts.session && opts.checkpoint) throw new UsageError("--session and --checkpoint each name what to print: give one");
  const out = new Output(opts.json ? jsonLine : humanFormatter());
  if (opts.archive !== undefined) {
    await viewArchive(opts.archive, { ...opts, tail: tail ?? (opts.follow ? FOLLOW_DEFAULT_TAIL : undefined) }, out);
    return;
  }
  const mark = !opts.json; // --json prints the lines as stored, which no rewind event changes: no pass for it
  const logsDir = logsDirOf(opts);
  try {
    const file = logsPaths(logsDir).current;
    if (opts.session) {
      const named = await sessionFileOf(logsDir, opts.session);
      if (!opts.follow) return await out.writeAll(await shownOf(named, { tail, mark }));
      if (named !== file) throw new UsageError(`--follow follows the active session; ${opts.session} is sealed and never changes`);
      // The active session named by its id: followed as without --session.
    }
    if (opts.checkpoint) {
      // Its prefix only: a rewind recorded after the checkpoint's end had not happened yet as of it.
      const cp = await readCheckpoint(logsDir, opts.checkpoint);
      return await out.writeAll(await shownOf(await sessionFileOf(logsDir, cp.session), { before: cp.bytes, tail, mark }));
    }
    if (!opts.follow) {
      try {
        await out.writeAll(await shownOf(file, { tail, mark }));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`no active session in ${logsDir}`);
        throw err;
      }
      return;
    }
    await fs.access(logsDir).catch(() => {
      throw new Error(`no logs folder at ${logsDir}`);
    });
    // A line is printed once: a message printed before the rewind event that takes it back arrives stays as printed
    // (the event's own line follows); the tail shown first is marked by the events up to the end of the file.
    const shown = await tailOf(file, tail ?? FOLLOW_DEFAULT_TAIL, { mark }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return []; // no session yet: follow waits for it
      throw err;
    });
    await out.writeAll(shown);
    await out.flush();
    const last = shown.at(-1);
    const fromOffset = last ? last.offset + last.length + 1 : 0;
    await untilInterrupted(out, (signal) =>
      out.writeAll(followSession(file, { fromOffset, fromIndex: -1, signal, onReplaced: () => out.note("new session") }), { live: true }),
    );
  } finally {
    await out.flush();
  }
}

function parseCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--tail needs a whole number of records, got "${text}"`);
  return n;
}

/** What a view without --follow prints of a session file (up to byte `before`): every line, or the last `tail`. */
async function shownOf(file: string, { before, tail, mark }: { before?: number; tail?: number; mark: boolean }): Promise<AsyncIterable<Entry> | Entry[]> {
  return tail === undefined ? linesOf(file, before ?? Infinity, mark) : tailOf(file, tail, { before, mark });
}

/** The complete lines of bytes [0, to) of a session file, a tap's rewinds marked when `mark`. */
function linesOf(file: string, to: number, mark: boolean): AsyncIterable<Entry> {
  return mark ? markedEntries(file, to) : streamEntries(file, { endOffset: to });
}

/** The last `n` complete lines (ending at or before byte `before`), a tap's rewinds marked when `mark`. */
async function tailOf(file: string, n: number, { before, mark }: { before?: number; mark: boolean }): Promise<Entry[]> {
  const reader = await SessionReader.open(file);
  try {
    const lines = await reader.tail(n, before);
    if (mark) await markLines(reader.source, lines, before);
    return lines;
  } finally {
    await reader.close();
  }
}

/** Buffered stdout that respects back-pressure and stops quietly when the reader goes away (`| head`). */
class Output {
  #pending: string[] = [];
  #size = 0;
  #closed = false;
  onClosed: (() => void) | null = null;

  constructor(private format: (e: Entry) => string) {
    process.stdout.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
      this.#closed = true;
      this.onClosed?.();
    });
  }

  /** `live`: show each entry at once (following) instead of writing in large batches. */
  async writeAll(entries: AsyncIterable<Entry> | Iterable<Entry>, { live = false } = {}): Promise<void> {
    for await (const e of entries) {
      if (this.#closed) return;
      this.#pending.push(this.format(e));
      this.#size += this.#pending.at(-1)!.length;
      if (live || this.#size >= FLUSH_BYTES) await this.flush();
    }
  }

  /** A line of the viewer's own (not a record): on stderr, so --json output stays pure JSON lines. */
  note(text: string): void {
    process.stderr.write(`-- ${text} --\n`);
  }

  async flush(): Promise<void> {
    if (this.#size === 0 || this.#closed) return;
    const chunk = this.#pending.join("");
    this.#pending = [];
    this.#size = 0;
    if (!process.stdout.write(chunk)) await drained(process.stdout);
  }
}

/** Resolves when a stream can take more, or can take nothing more (closed, failed: see the "error" handler). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const ev of ["drain", "close", "error"]) stream.off(ev, done);
      resolve();
    };
    for (const ev of ["drain", "close", "error"]) stream.once(ev, done);
  });
}

function jsonLine(e: Entry): string {
  if (e.record) return `${escapeJsonForTerminal(e.raw)}\n`;
  return `${terminalJson({ damaged: e.damaged, offset: e.offset, raw: e.raw })}\n`;
}

/** Human lines, fitted to the terminal's width and dimming events when stdout is a colour terminal. */
function humanFormatter(): (e: Entry) => string {
  const tty = process.stdout.isTTY === true;
  const colour = tty && !process.env.NO_COLOR;
  const dim = (s: string) => (colour ? `\x1b[2m${s}\x1b[22m` : s);
  const fit = (s: string) => (tty ? clipToWidth(s, process.stdout.columns || 80) : s);
  return (e) => {
    const rec = e.record;
    if (!rec) return `${fit(`⚠ damaged line at byte ${e.offset}: ${sanitizeForTerminal(e.damaged ?? "")}: ${sanitizeForTerminal(e.raw.slice(0, 200))}`)}\n`;
    const line = fit(humanText(rec));
    return `${isMessage(rec) && !isAside(rec) ? line : dim(line)}\n`;
  };
}

function humanText(rec: SessionRecord): string {
  const time = typeof rec.ts === "string" ? sanitizeForTerminal(rec.ts.slice(11, 19)) : "--:--:--";
  if (!isMessage(rec)) return `${time} · ${snippetOf(rec)}`;
  const m = rec.meta ?? {};
  const payload = (rec.payload && typeof rec.payload === "object" ? rec.payload : {}) as Record<string, unknown>;
  const recipient = m.recipient ?? stringOr(payload.recipient) ?? stringOr(payload.to);
  const who = m.role ? speakerOf(rec) : `${m.agent ?? (rec.topic || "?")}${recipient ? ` → ${recipient}` : ""}`;
  const tags = m.ace_tier || m.chain_type ? ` [${m.ace_tier ?? "-"}/${m.chain_type ?? "-"}]` : "";
  return `${time} ${sanitizeForTerminal(who)}${tags && sanitizeForTerminal(tags)} ${snippetOf(rec)}`;
}

function stringOr(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
