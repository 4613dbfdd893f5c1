// What each command of the key table does, against the newest state (which may not be drawn yet): moving in the
// pane that has the keys, opening, search hits in context, dialogs and their actions, copying, the pager. Plain
// functions over a context the app assembles, so the app itself only lays out and wires.
import type { Entry } from "../src/storage/entry.ts";
import { isMessage } from "../src/record.ts";
import { messageText } from "../src/search/recordFields.ts";
import { osc52 } from "./clipboard.ts";
import { ALL_OPEN, detailOf, toggledAt } from "./detailLines.ts";
import { countText } from "./format.ts";
import type { Command } from "./keys.ts";
import { showInPager } from "./pager.ts";
import type { TuiServices } from "./services.ts";
import type { PendingAction } from "./state/dialog.ts";
import type { ListAction } from "./state/listWindow.ts";
import { stepHit } from "./state/search.ts";
import { NO_FOLDS, type ListName, type TuiAction, type TuiState } from "./state/tui.ts";
import type { TuiStore } from "./store/tuiStore.ts";
import type { ScreenSession } from "./terminal.ts";
import type { Follow } from "./useFollow.ts";
import type { Latest } from "./useLatestReducer.ts";

export interface CommandContext {
  now: Latest<TuiState>;
  dispatch: (a: TuiAction) => void;
  store: TuiStore;
  services: TuiServices;
  follow: Follow;
  /** Panes side by side (the message list is visible beside the checkpoint list). */
  split: boolean;
  /** Columns the detail is laid out in, and the whole screen's (the pager's text). */
  detailWidth: number;
  columns: number;
  onQuit: () => void;
  /** Writes to the terminal as it is, past the frames (OSC 52). */
  write: (data: string) => void;
  /** The real terminal, when there is one to hand to the pager. */
  screen?: ScreenSession;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function failed(ctx: CommandContext, text: string): void {
  ctx.dispatch({ type: "dialog", action: { type: "done", ok: false, text } });
}

/** A UI action's failure is shown in the result dialog: the TUI never goes down with it. */
function attempt(ctx: CommandContext, what: string, work: Promise<unknown>): void {
  void work.catch((err: unknown) => failed(ctx, `${what}: ${errorText(err)}`));
}

const show = (ctx: CommandContext, pane: TuiState["app"]["pane"]) => ctx.dispatch({ type: "app", action: { type: "show", pane } });
const list = (ctx: CommandContext, name: ListName, action: ListAction) => ctx.dispatch({ type: "list", list: name, action });

/** Shows the message at `index` in full, laid out at once so that keys typed right after already scroll it. */
export function openDetail(ctx: CommandContext, index: number): void {
  const entry = ctx.store.row(index);
  if (!entry) return;
  ctx.dispatch({ type: "openDetail", index, lines: detailOf(entry, NO_FOLDS, ctx.detailWidth).lines.length });
}

function jumpToHit(ctx: CommandContext, hitIndex: number): void {
  const { hits } = ctx.now.current.search;
  const hit = hits[hitIndex];
  if (!hit) return;
  const detailWasOpen = ctx.now.current.app.detail !== null;
  show(ctx, "messages");
  ctx.dispatch({ type: "hitContext", on: true, note: null });
  attempt(ctx, `Cannot show the hit in session ${hit.session}`, ctx.store.locate(hit.session, hit.seq).then((index) => {
    if (index < 0) return failed(ctx, `Message seq ${hit.seq} is no longer in session ${hit.session}.`);
    ctx.follow.jumpTo(index);
    ctx.dispatch({ type: "hitContext", on: true, note: `hit ${hitIndex + 1}/${hits.length} (n/N)` });
    if (detailWasOpen) openDetail(ctx, index);
  }));
}

function runAction(ctx: CommandContext, action: PendingAction): void {
  const text = action.type === "checkpoint" ? "Taking a checkpoint…" : action.type === "new" ? "Starting a new session…" : "Loading the checkpoint…";
  ctx.dispatch({ type: "dialog", action: { type: "busy", text } });
  const cp = action.type === "load" ? ctx.store.getSnapshot().checkpoints.find((c) => c.id === action.checkpoint) : undefined;
  const work = action.type === "checkpoint" ? ctx.services.checkpoint(action.label)
    : action.type === "new" ? ctx.services.newSession()
    : cp ? ctx.services.load(cp) : Promise.reject(new Error("that checkpoint is gone"));
  work.then(
    (done) => ctx.dispatch({ type: "dialog", action: { type: "done", ok: true, text: done } }),
    (err: unknown) => failed(ctx, errorText(err)),
  ).finally(() => void ctx.store.refreshCheckpoints());
}

/** Carries out what a confirmed dialog asked. */
export function confirmDialog(ctx: CommandContext): void {
  const dialog = ctx.now.current.dialog;
  if (dialog?.kind === "confirm") runAction(ctx, dialog.action);
  else if (dialog?.kind === "label") runAction(ctx, { type: "checkpoint", label: dialog.value.trim() });
}

function moveActive(ctx: CommandContext, a: ListAction): void {
  const { pane, detail } = ctx.now.current.app;
  if (pane === "checkpoints") list(ctx, "checkpoints", a);
  else if (pane === "messages") list(ctx, detail !== null ? "detail" : "messages", a);
  else if (pane === "search") ctx.dispatch({ type: "search", action: { type: "list", action: a } });
  else if (pane === "analytics") list(ctx, "analytics", a);
}

function openSelected(ctx: CommandContext): void {
  const { app, checkpoints, messages, detail, folds, search } = ctx.now.current;
  if (app.pane === "checkpoints") {
    const cp = checkpoints.cursor === 0 ? null : ctx.store.getSnapshot().checkpoints[checkpoints.cursor - 1];
    ctx.dispatch({ type: "hitContext", on: false });
    const opening = (cp ? ctx.store.openCheckpoint(cp) : ctx.store.openCurrent()).catch((err: unknown) => {
      show(ctx, "checkpoints"); // back where the choice was made
      throw err;
    });
    attempt(ctx, cp ? `Cannot open checkpoint ${cp.id}` : "Cannot open the current session", opening);
    show(ctx, "messages");
  } else if (app.pane === "messages") {
    if (app.detail === null) return openDetail(ctx, messages.cursor);
    const entry = ctx.store.row(app.detail);
    const shown = entry && detailOf(entry, folds, ctx.detailWidth);
    const next = shown && toggledAt(shown, detail.cursor, folds);
    if (next) ctx.dispatch({ type: "folds", folds: next });
  } else if (app.pane === "search") {
    jumpToHit(ctx, search.list.cursor);
  }
}

/** The message `y`, `Y` and `o` act on: the one in detail, else the one selected in a message list on screen. */
function selectedMessage(ctx: CommandContext): Entry | undefined {
  const { app, messages } = ctx.now.current;
  if (app.detail !== null) return ctx.store.row(app.detail);
  const listShown = ctx.split ? app.right === "messages" : app.pane === "messages";
  return listShown ? ctx.store.row(messages.cursor) : undefined;
}

const notice = (ctx: CommandContext, text: string) => ctx.dispatch({ type: "notice", text });

function copy(ctx: CommandContext, what: "text" | "record"): void {
  const entry = selectedMessage(ctx);
  if (!entry) return notice(ctx, "nothing to copy: select a message first");
  const rec = entry.record;
  const text = what === "record" || !rec || !isMessage(rec) ? entry.raw : messageText(rec);
  const result = osc52(text);
  if (!result.ok) return notice(ctx, `not copied: ${result.why}`);
  ctx.write(result.sequence);
  notice(ctx, `copied ${countText(result.chars)} characters of the ${what === "record" ? "raw record" : "text"} (OSC 52)`);
}

function openPager(ctx: CommandContext): void {
  const entry = selectedMessage(ctx);
  if (!entry) return notice(ctx, "nothing to open: select a message first");
  if (!ctx.screen) return notice(ctx, "no terminal to run the pager on");
  const text = detailOf(entry, ALL_OPEN, ctx.columns).lines.map((l) => l.text).join("\n") + "\n";
  const why = showInPager(text, ctx.screen);
  // Also what makes the next frame differ, so that the whole screen is drawn again after the pager.
  notice(ctx, why ?? "back from the pager");
}

/** The commands that change the logs folder, as a refusal names them. */
const WRITES: Partial<Record<Command, string>> = { load: "L (load)", newSession: "N (new session)", checkpoint: "C (checkpoint)" };

export function runCommand(ctx: CommandContext, c: Command): void {
  const { app } = ctx.now.current;
  if (WRITES[c] && ctx.services.readOnly) return notice(ctx, `${WRITES[c]} is off: ${ctx.services.readOnly}`);
  switch (c) {
    case "quit": return ctx.onQuit();
    case "help": return ctx.dispatch({ type: "app", action: { type: "help", open: !app.help } });
    case "nextPane": return ctx.dispatch({ type: "app", action: { type: "cycle", dir: 1 } });
    case "prevPane": return ctx.dispatch({ type: "app", action: { type: "cycle", dir: -1 } });
    case "viewMessages":
      ctx.dispatch({ type: "hitContext", on: false });
      // Already open: back to its end at once, so that keys typed right after move from there.
      if (ctx.store.isShowingCurrent()) list(ctx, "messages", { type: "end" });
      attempt(ctx, "Cannot open the current session", ctx.store.showCurrent());
      return show(ctx, "messages");
    case "search": return show(ctx, "search");
    case "diagnostics": return show(ctx, "diagnostics");
    case "analytics": return show(ctx, "analytics");
    case "up": return moveActive(ctx, { type: "move", delta: -1 });
    case "down": return moveActive(ctx, { type: "move", delta: 1 });
    case "pageUp": return moveActive(ctx, { type: "page", dir: -1 });
    case "pageDown": return moveActive(ctx, { type: "page", dir: 1 });
    case "home": return moveActive(ctx, { type: "home" });
    case "end": return moveActive(ctx, { type: "end" });
    case "open": return openSelected(ctx);
    case "back":
      if (app.help) return ctx.dispatch({ type: "app", action: { type: "help", open: false } });
      if (app.detail !== null) return ctx.dispatch({ type: "app", action: { type: "closeDetail" } });
      if (app.pane === "search") return show(ctx, "messages"); // the tail, where it was
      ctx.dispatch({ type: "hitContext", on: false });
      return show(ctx, "checkpoints");
    case "follow":
      if (app.pane === "messages" && app.detail === null) list(ctx, "messages", { type: "toggleFollow" });
      return;
    case "nextHit":
    case "prevHit": {
      const next = stepHit(ctx.now.current.search, c === "nextHit" ? 1 : -1);
      ctx.dispatch({ type: "search", action: { type: "list", action: { type: "jump", index: next.list.cursor } } });
      return jumpToHit(ctx, next.list.cursor);
    }
    case "copyText": return copy(ctx, "text");
    case "copyRecord": return copy(ctx, "record");
    case "pager": return openPager(ctx);
    case "load": {
      const { cursor } = ctx.now.current.checkpoints;
      if (app.pane === "checkpoints" && cursor > 0) {
        const cp = ctx.store.getSnapshot().checkpoints[cursor - 1];
        return ctx.dispatch({ type: "dialog", action: { type: "ask", action: { type: "load", checkpoint: cp.id, label: cp.label || cp.id } } });
      }
      show(ctx, "checkpoints");
      return failed(ctx, "Select a checkpoint in the Checkpoints pane (↑ ↓), then press L.");
    }
    case "newSession": return ctx.dispatch({ type: "dialog", action: { type: "ask", action: { type: "new" } } });
    case "checkpoint": return ctx.dispatch({ type: "dialog", action: { type: "askLabel" } });
  }
}
