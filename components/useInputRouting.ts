// Every key press and mouse report, routed: keys through the key table in the mode the newest state is in (a
// dialog one key opens takes the next even before it is drawn), the wheel to the pane under the pointer, a click
// to the row under it. Keys of one chunk are each routed, and drawn in one frame with the live data waiting.
import { useInput, type Key } from "ink";
import { confirmDialog, errorText, failed, openDetail, runCommand, type CommandContext } from "./commands.ts";
import { routeKey, type KeyMode } from "./keys.ts";
import { regionAt, type Region } from "./layout.ts";
import { parseMouse, type MouseEvent } from "./mouse.ts";
import type { TuiState } from "./state/tui.ts";

/** Rows one wheel step scrolls. */
export const WHEEL_ROWS = 3;

export function modeOf(s: TuiState): KeyMode {
  return s.dialog ? (s.dialog.kind === "label" ? "textDialog" : "dialog")
    : s.app.help ? "help"
    : s.app.pane === "search" ? "searchInput"
    : s.app.pane === "messages" && s.hitContext ? "hitContext"
    : "pane";
}

export function useInputRouting(ctx: CommandContext, regions: Region[]): void {
  useInput((input: string, key: Key) => {
    ctx.store.flushPending();
    try {
      const mouse = parseMouse(input);
      if (mouse !== null) {
        if (mouse !== "ignored") handleMouse(ctx, mouse, regions);
        return;
      }
      // Keys typed faster than the terminal is read arrive as one chunk of text: they are still separate keys.
      const chars = [...input];
      if (chars.length > 1 && !key.ctrl && !key.meta) {
        for (const ch of chars) handleKey(ctx, ch, { ...key, return: ch === "\r", tab: ch === "\t", backspace: ch === "\x7f" });
      } else {
        handleKey(ctx, input, key);
      }
    } catch (err) {
      failed(ctx, errorText(err)); // a key's action that throws is reported like one that fails later
    }
  });
}

function handleKey(ctx: CommandContext, input: string, key: Key): void {
  const { dialog } = ctx.now.current;
  if (dialog?.kind === "busy") return;
  if (dialog?.kind === "result") return ctx.dispatch({ type: "dialog", action: { type: "close" } });
  const mode = modeOf(ctx.now.current);
  const action = routeKey(input, key, mode);
  if (action.type === "command") return runCommand(ctx, action.command);
  if (action.type === "confirm") {
    if (action.yes) return confirmDialog(ctx);
    return ctx.dispatch({ type: "dialog", action: { type: "close" } });
  }
  if (action.type === "text") {
    const { edit } = action;
    if (mode === "searchInput") return ctx.dispatch({ type: "search", action: { type: "edit", edit } });
    if ("cancel" in edit) return ctx.dispatch({ type: "dialog", action: { type: "close" } });
    if ("submit" in edit) return confirmDialog(ctx);
    return ctx.dispatch({ type: "dialog", action: { type: "edit", edit } });
  }
}

/** The wheel scrolls the pane under the pointer (the keys stay where they were); a click selects what it is on. */
function handleMouse(ctx: CommandContext, ev: MouseEvent, regions: Region[]): void {
  const s = ctx.now.current;
  if (s.dialog || s.app.help) return;
  const region = regionAt(regions, ev.x, ev.y);
  if (!region) return;
  const windowOf = (id: Region["id"]) =>
    id === "search" ? s.search.list : id === "messages" || id === "checkpoints" || id === "detail" ? s[id] : null;
  const move = (delta: number) =>
    region.id === "search" ? ctx.dispatch({ type: "search", action: { type: "list", action: { type: "move", delta } } })
    : region.id === "messages" || region.id === "checkpoints" || region.id === "detail" ? ctx.dispatch({ type: "list", list: region.id, action: { type: "move", delta } })
    : undefined;
  if (ev.kind === "wheel") return move(ev.dir * WHEEL_ROWS);
  // A click gives the keys to what it is on: the detail belongs to the message pane.
  ctx.dispatch({ type: "app", action: { type: "show", pane: region.id === "detail" ? "messages" : region.id } });
  const window = windowOf(region.id);
  const row = ev.y - region.y - region.head;
  if (!window || row < 0 || window.top + row >= window.total) return;
  const index = window.top + row;
  move(index - window.cursor);
  // Beside an open detail, the detail shows what is clicked.
  if (region.id === "messages" && s.app.detail !== null) openDetail(ctx, index);
}
