// `shearwater search QUERY [--checkpoint ID | --all] [--limit N] [--json]`: the same search as the TUI's pane.
// When the index is far behind, a background indexer is started for next time; this search scans what it lacks.
import type { Command } from "commander";
import fs from "node:fs/promises";
import stringWidth from "string-width";
import { searchArchiveAt } from "../../archive/archiveReading.ts";
import { UsageError } from "../../config.ts";
import { indexProgress, startIndexer } from "../../search/backgroundIndexer.ts";
import { parseQuery, pointAt, QueryError, type Query } from "../../search/queryParser.ts";
import { DEFAULT_LIMIT, searchAll, type SearchHit, type SearchScope } from "../../search/search.ts";
import { lockedSessions, lockedSessionsText, type LockedSession } from "../../search/sessionFiles.ts";
import { logsPaths } from "../../storage/logsDir.ts";
import { sealedSessionFiles } from "../../storage/sessionSource.ts";
import { sanitizeForTerminal } from "../../text/sanitize.ts";
import { hitSpeakerOf } from "../../text/speaker.ts";
import { terminalJson } from "../../text/terminalJson.ts";
import { clipToWidth } from "../../text/width.ts";
import { logsDirOf, withLogs } from "../options.ts";
import { allowPassphrasePrompt } from "../../crypto/passphrasePrompt.ts";

interface SearchOptions {
  checkpoint?: string;
  all?: boolean;
  limit?: string;
  json?: boolean;
  logs?: string;
  archive?: string | true;
}

/** Unindexed bytes above which a search leaves an indexer running in the background for the next one. */
const INDEX_IN_BACKGROUND_BYTES = 32 << 20;

export function register(program: Command): void {
  const cmd = program
    .command("search")
    .description("search the active session (or a checkpoint, or every session)")
    .argument("<query...>", "words (typo-tolerant), \"exact phrases\", filters from: to: type: tier: tag: topic: since: until: tool: model: role: has:error|rewound source:")
    .option("--checkpoint <id>", "search this checkpoint's messages")
    .option("--all", "search every session, sealed ones included")
    .option("--limit <n>", `at most N results (default ${DEFAULT_LIMIT})`)
    .option("--json", "print the results as a JSON array")
    .option("--archive [url]", "search a team archive (every source; host: origin: pick some) instead of the logs folder (URL: env SHEARWATER_ARCHIVE)")
    .addHelpText(
      "after",
      `
Examples:
  shearwater search deploy faild           words, typos tolerated
  shearwater search '"merge conflict"'     an exact phrase
  shearwater search from:claude tier:1 since:2h
  shearwater search --all tag:urgent until:2026-11-24T10:00Z

Results: best first (relevance and recency), matches marked; --json gives [{session, offset, length, seq, ts,
agent, recipient, topic, rewound, score, snippet: {text, hits: [[start, end]…]}, source}]; a hit a rewind took
out of the conversation says (rewound) after who said it, rewound: true in JSON.`,
    );
  withLogs(cmd).action((words: string[], opts: SearchOptions) => {
    allowPassphrasePrompt();
    return runSearch(words.join(" "), opts);
  });
}

async function runSearch(text: string, opts: SearchOptions): Promise<void> {
  if (opts.checkpoint && opts.all) throw new UsageError("use either --checkpoint or --all, not both");
  const limit = opts.limit === undefined ? DEFAULT_LIMIT : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit needs a whole number above 0, got "${opts.limit}"`);
  let query: Query;
  try {
    // A finished command line has no word being typed: end it with a space so the last word is not a prefix.
    query = parseQuery(`${text} `, Date.now(), { archive: opts.archive !== undefined });
  } catch (err) {
    if (err instanceof QueryError) throw new UsageError(`bad query: ${err.message}\n${pointAt(text, err)}`);
    throw err;
  }
  if (opts.archive !== undefined) {
    if (opts.checkpoint || opts.all) throw new UsageError("--archive searches every session of the archive: --checkpoint and --all are for a logs folder");
    const hits = await searchArchiveAt(opts.archive, query, limit);
    printHits(hits, opts);
    return;
  }
  const logsDir = logsDirOf(opts);
  const scope: SearchScope = opts.all ? "all" : opts.checkpoint ? { checkpoint: opts.checkpoint } : "current";
  const behind = await indexProgress(logsDir);
  if (behind.bytesTotal - behind.bytesDone > INDEX_IN_BACKGROUND_BYTES) startIndexer(logsDir, { detached: true });
  const hits = await searchAll(logsDir, query, { scope, limit });
  printHits(hits, opts, scope === "current" && hits.length === 0 ? await sealedSessionsHint(logsDir) : "");
  // Only sealed sessions are ever encrypted: all of them is the scope that can leave some out.
  if (scope === "all") sayLeftOut(await lockedSessions(logsDir), opts);
}

/** On stderr (stdout stays the hits' array): a line, or with --json an object {left_out: {encrypted_sessions, files, why}}. */
function sayLeftOut(locked: LockedSession[], opts: SearchOptions): void {
  const text = lockedSessionsText(locked);
  if (!text) return;
  const files = locked.map((l) => l.path);
  const note = opts.json ? terminalJson({ left_out: { encrypted_sessions: locked.length, files, why: locked[0].error } }) : `shearwater: ${sanitizeForTerminal(text)}`;
  process.stderr.write(`${note}\n`);
}

/**
 * Said when the active session has no match and sealed sessions are there: imported transcripts and earlier
 * sessions are sealed, and a search of the active session alone would leave a user thinking they hold nothing.
 */
async function sealedSessionsHint(logsDir: string): Promise<string> {
  const names = await fs.readdir(logsPaths(logsDir).sessions).catch(() => []);
  const sealed = sealedSessionFiles(names).length;
  return sealed === 0 ? "" : ` in the active session (--all searches the ${sealed} sealed session${sealed === 1 ? "" : "s"} too)`;
}

/** `emptyNote`: what follows "no matches" when there are none. */
function printHits(hits: Array<PrintedHit>, opts: SearchOptions, emptyNote = ""): void {
  if (opts.json) {
    process.stdout.write(`${terminalJson(hits)}\n`);
    return;
  }
  if (hits.length === 0) {
    process.stderr.write(`no matches${emptyNote}\n`);
    return;
  }
  const tty = process.stdout.isTTY === true;
  const colour = tty && !process.env.NO_COLOR;
  process.stdout.write(hits.map((h) => `${formatHit(h, colour, tty ? process.stdout.columns || 80 : 0)}\n`).join(""));
}

/** A hit of the logs folder, or of an archive (which names the host it came from). */
type PrintedHit = Omit<SearchHit, "source"> & { origin?: { host: string } };

/** A hit a rewind took out of the conversation says `(rewound)` after who said it, as `view` and the TUI do. */
function formatHit(h: PrintedHit, colour: boolean, width: number): string {
  const who = hitSpeakerOf(h);
  const host = h.origin ? `[${h.origin.host}] ` : "";
  const head = sanitizeForTerminal(`${h.ts.slice(0, 19).replace("T", " ")} ${host}${who} #${h.seq}`);
  let snippet = h.snippet;
  if (width > 0) {
    // Clip the plain text, before marking, so the marks never count as columns.
    const text = clipToWidth(snippet.text, Math.max(10, width - stringWidth(head) - 2));
    snippet = { text, hits: snippet.hits.filter(([, end]) => end <= text.length) };
  }
  return `${head}  ${marked(snippet, colour)}`;
}

/** The snippet made safe for a terminal, its hits in bold (or [brackets] without colour). */
function marked({ text, hits }: SearchHit["snippet"], colour: boolean): string {
  const [open, close] = colour ? ["\x1b[1;33m", "\x1b[22;39m"] : ["[", "]"];
  let out = "";
  let at = 0;
  for (const [start, end] of hits) {
    out += sanitizeForTerminal(text.slice(at, start)) + open + sanitizeForTerminal(text.slice(start, end)) + close;
    at = end;
  }
  return out + sanitizeForTerminal(text.slice(at));
}
