// The TUI: pure reducers per pane, one key table, live data from the store as immutable snapshots.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text, useInput, type Key } from "ink";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { CheckpointsPane } from "./CheckpointsPane.tsx";
import { detailOf } from "./detailLines.ts";
import { DetailView } from "./DetailView.tsx";
import { DiagnosticsPane } from "./DiagnosticsPane.tsx";
import { DialogBox } from "./DialogBox.tsx";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { fit } from "../src/text/width.ts";
import { HelpOverlay } from "./HelpOverlay.tsx";
import { toggleFold } from "./jsonLines.ts";
import { routeKey, type Command, type KeyMode } from "./keys.ts";
import { layoutFor, MIN_COLUMNS, MIN_ROWS } from "./layout.ts";
import { MessagesPane } from "./MessagesPane.tsx";
import { SearchPane } from "./SearchPane.tsx";
import type { SearchHitView, TuiServices } from "./services.ts";
import { appReducer, initialApp, type Pane } from "./state/app.ts";
import { dialogReducer, type PendingAction } from "./state/dialog.ts";
import { initialWindow, listReducer, type ListAction } from "./state/listWindow.ts";
import { initialSearch, searchReducer, stepHit } from "./state/search.ts";
import { StatusBar } from "./StatusBar.tsx";
import type { TuiStore, ViewInfo } from "./store/tuiStore.ts";
import { TabBar } from "./TabBar.tsx";
import { color } from "./theme.ts";
import { useLatestReducer, useLatestState } from "./useLatestReducer.ts";
import { useTerminalSize, type Size } from "./useTerminalSize.ts";
import { recorderAlert } from "./recorderAlert.ts";

/** Typing pauses this long before a search starts. */
export const SEARCH_DEBOUNCE_MS = 150;

export interface AppProps {
  store: TuiStore;
  services: TuiServices;
  browseOnly: boolean;
  onQuit: () => void;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: Size;
  startPane?: Pane;
}

const hitRow = (h: SearchHitView) => h;
const NO_FOLDS: ReadonlySet<string> = new Set();

export function App({ store, services, browseOnly, onQuit, size: fixedSize, startPane = "checkpoints" }: AppProps) {
  const size = useTerminalSize(fixedSize);
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const banner = snap.banner ?? recorderAlert(snap.recorder);
  const layout = layoutFor(size.columns, size.rows, banner !== null);
  const listHeight = Math.max(1, layout.bodyRows - 1);
  const width = size.columns;

  // Key handlers read the newest state (`…Now.current`), which may not be drawn yet; rendering reads the state.
  const [app, dispatchApp, appNow] = useLatestReducer(appReducer, () => ({ ...initialApp, pane: startPane }));
  const [dialog, dispatchDialog, dialogNow] = useLatestReducer(dialogReducer, () => null);
  const [messages, dispatchMessages, messagesNow] = useLatestReducer(listReducer, () => initialWindow(0, listHeight, true));
  const [cps, dispatchCps, cpsNow] = useLatestReducer(listReducer, () => ({ ...initialWindow(1, listHeight), cursor: 0 }));
  const [search, dispatchSearch, searchNow] = useLatestReducer(searchReducer<SearchHitView>, () => initialSearch<SearchHitView>(listHeight - 1));
  const [detailList, dispatchDetail, detailListNow] = useLatestReducer(listReducer, () => initialWindow(0, listHeight));
  const [collapsed, setCollapsed, collapsedNow] = useLatestState<ReadonlySet<string>>(NO_FOLDS);
  const [hitContext, setHitContext, hitContextNow] = useLatestState(false);
  /** Shown in the message list's header once a jump to a search hit has landed. */
  const [hitNote, setHitNote] = useState<string | null>(null);
  const pendingJump = useRef<number | null>(null);

  // Re-lay out on resize.
  useEffect(() => {
    for (const d of [dispatchMessages, dispatchCps, dispatchDetail]) d({ type: "resize", height: listHeight });
    dispatchSearch({ type: "list", action: { type: "resize", height: listHeight - 1 } });
  }, [listHeight]);

  // Follow the open session: a new file starts the list over, a built index renumbers it, new lines grow it.
  // Done while rendering the new snapshot (React's "adjust state when a prop changes"), not in an effect: each
  // batch of live data is then drawn in one frame instead of two.
  const view = snap.view;
  const [followed, setFollowed] = useState<ViewInfo | null>(null);
  if (view && view !== followed) {
    setFollowed(view);
    if (view.generation !== followed?.generation) {
      dispatchMessages({ type: "reset", total: view.total, followable: view.source.kind === "live" });
    } else if (view.rebased !== followed.rebased) {
      const { detail } = appNow.current;
      if (detail !== null) dispatchApp({ type: "openDetail", index: detail + view.total - messagesNow.current.total });
      dispatchMessages({ type: "rebase", total: view.total });
    } else {
      dispatchMessages({ type: "grow", total: view.total });
    }
  }
  // A jump to a search hit is made again once the session is indexed and holds that row.
  useEffect(() => {
    if (pendingJump.current !== null && view?.indexed && pendingJump.current < view.total) {
      dispatchMessages({ type: "jump", index: pendingJump.current });
      pendingJump.current = null;
    }
  }, [view?.total, view?.indexed]);

  useEffect(() => dispatchCps({ type: "grow", total: snap.checkpoints.length + 1 }), [snap.checkpoints.length]);

  // Read only the rows on screen.
  useEffect(() => store.want(messages.top, messages.top + messages.height), [messages.top, messages.height, snap.version]);
  useEffect(() => {
    if (app.detail !== null) store.want(app.detail, app.detail + 1);
  }, [app.detail, snap.version]);

  const detailEntry = app.detail !== null ? store.row(app.detail) : undefined;
  const detail = useMemo(() => (detailEntry ? detailOf(detailEntry, collapsed, width) : null), [detailEntry, collapsed, width]);
  useEffect(() => dispatchDetail({ type: "grow", total: detail?.lines.length ?? 0 }), [detail?.lines.length]);

  useEffect(() => store.watchDisk(app.pane === "diagnostics"), [app.pane]);

  // Results as you type: each pause in typing starts a search and cancels the one before.
  useEffect(() => {
    if (!search.query.trim()) return;
    const abort = new AbortController();
    const query = search.query;
    const timer = setTimeout(() => {
      dispatchSearch({ type: "started" });
      services
        .search(query, abort.signal, (text) => dispatchSearch({ type: "progress", text }))
        .then(
          (hits) => dispatchSearch({ type: "results", query, hits, done: true }),
          (err: unknown) => !abort.signal.aborted && dispatchSearch({ type: "failed", query, error: errorText(err) }),
        );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [search.query]);

  const failed = (text: string) => dispatchDialog({ type: "done", ok: false, text });
  /** A UI action's failure is shown in the result dialog: the TUI never goes down with it. */
  const attempt = (what: string, work: Promise<unknown>) => void work.catch((err: unknown) => failed(`${what}: ${errorText(err)}`));

  const jumpToHit = (hitIndex: number) => {
    const { hits } = searchNow.current;
    const hit = hits[hitIndex];
    if (!hit) return;
    dispatchApp({ type: "show", pane: "messages" });
    setHitContext(true);
    setHitNote(null);
    attempt(`Cannot show the hit in session ${hit.session}`, store.locate(hit.session, hit.seq).then((index) => {
      if (index < 0) return failed(`Message seq ${hit.seq} is no longer in session ${hit.session}.`);
      pendingJump.current = index;
      dispatchMessages({ type: "jump", index });
      setHitNote(`hit ${hitIndex + 1}/${hits.length} (n/N)`);
    }));
  };

  const run = (action: PendingAction) => {
    dispatchDialog({ type: "busy", text: action.type === "checkpoint" ? "Taking a checkpoint…" : action.type === "new" ? "Starting a new session…" : "Loading the checkpoint…" });
    const cp = action.type === "load" ? store.getSnapshot().checkpoints.find((c) => c.id === action.checkpoint) : undefined;
    const work = action.type === "checkpoint" ? services.checkpoint(action.label)
      : action.type === "new" ? services.newSession()
      : cp ? services.load(cp) : Promise.reject(new Error("that checkpoint is gone"));
    work.then(
      (text) => dispatchDialog({ type: "done", ok: true, text }),
      (err: unknown) => failed(errorText(err)),
    ).finally(() => void store.refreshCheckpoints());
  };

  const moveActive = (a: ListAction) => {
    const { pane, detail } = appNow.current;
    if (pane === "checkpoints") dispatchCps(a);
    else if (pane === "messages") (detail !== null ? dispatchDetail : dispatchMessages)(a);
    else if (pane === "search") dispatchSearch({ type: "list", action: a });
  };

  const openSelected = () => {
    const { pane, detail: detailIndex } = appNow.current;
    if (pane === "checkpoints") {
      const { cursor } = cpsNow.current;
      setHitContext(false);
      const cp = cursor === 0 ? null : store.getSnapshot().checkpoints[cursor - 1];
      const opening = (cp ? store.openCheckpoint(cp) : store.openCurrent()).catch((err: unknown) => {
        dispatchApp({ type: "show", pane: "checkpoints" }); // back where the choice was made
        throw err;
      });
      attempt(cp ? `Cannot open checkpoint ${cp.id}` : "Cannot open the current session", opening);
      dispatchApp({ type: "show", pane: "messages" });
    } else if (pane === "messages") {
      const { cursor } = messagesNow.current;
      if (detailIndex === null) {
        const entry = store.row(cursor);
        if (!entry) return;
        // Laid out at once, unfolded, so that keys typed right after Enter already scroll it.
        setCollapsed(NO_FOLDS);
        dispatchDetail({ type: "reset", total: detailOf(entry, NO_FOLDS, width).lines.length, followable: false, cursor: 0 });
        return dispatchApp({ type: "openDetail", index: cursor });
      }
      const entry = store.row(detailIndex);
      const shown = entry && detailOf(entry, collapsedNow.current, width);
      const at = shown?.lines[detailListNow.current.cursor]?.json;
      if (shown && at !== undefined) setCollapsed(toggleFold(shown.json, at, collapsedNow.current));
    } else if (pane === "search") {
      jumpToHit(searchNow.current.list.cursor);
    }
  };

  const command = (c: Command) => {
    const { pane, help, detail } = appNow.current;
    switch (c) {
      case "quit": return onQuit();
      case "help": return dispatchApp({ type: "help", open: !help });
      case "nextPane": return dispatchApp({ type: "cycle", dir: 1 });
      case "prevPane": return dispatchApp({ type: "cycle", dir: -1 });
      case "viewMessages":
        setHitContext(false);
        attempt("Cannot open the current session", store.showCurrent().then((wasOpen) => wasOpen && dispatchMessages({ type: "end" })));
        return dispatchApp({ type: "show", pane: "messages" });
      case "search": return dispatchApp({ type: "show", pane: "search" });
      case "diagnostics": return dispatchApp({ type: "show", pane: "diagnostics" });
      case "up": return moveActive({ type: "move", delta: -1 });
      case "down": return moveActive({ type: "move", delta: 1 });
      case "pageUp": return moveActive({ type: "page", dir: -1 });
      case "pageDown": return moveActive({ type: "page", dir: 1 });
      case "home": return moveActive({ type: "home" });
      case "end": return moveActive({ type: "end" });
      case "open": return openSelected();
      case "back":
        if (help) return dispatchApp({ type: "help", open: false });
        if (detail !== null) return dispatchApp({ type: "closeDetail" });
        if (pane === "search") return dispatchApp({ type: "show", pane: "messages" });
        setHitContext(false);
        return dispatchApp({ type: "show", pane: "checkpoints" });
      case "follow":
        if (pane === "messages" && detail === null) dispatchMessages({ type: "toggleFollow" });
        return;
      case "nextHit":
      case "prevHit": {
        const next = stepHit(searchNow.current, c === "nextHit" ? 1 : -1);
        dispatchSearch({ type: "list", action: { type: "jump", index: next.list.cursor } });
        return jumpToHit(next.list.cursor);
      }
      case "load": {
        const { cursor } = cpsNow.current;
        if (pane === "checkpoints" && cursor > 0) {
          const cp = store.getSnapshot().checkpoints[cursor - 1];
          return dispatchDialog({ type: "ask", action: { type: "load", checkpoint: cp.id, label: cp.label || cp.id } });
        }
        dispatchApp({ type: "show", pane: "checkpoints" });
        return failed("Select a checkpoint in the Checkpoints pane (↑ ↓), then press L.");
      }
      case "newSession": return dispatchDialog({ type: "ask", action: { type: "new" } });
      case "checkpoint": return dispatchDialog({ type: "askLabel" });
    }
  };

  const modeNow = (): KeyMode => {
    const dialog = dialogNow.current;
    const { pane, help, detail } = appNow.current;
    return dialog ? (dialog.kind === "label" ? "textDialog" : "dialog")
      : help ? "help"
      : pane === "search" ? "searchInput"
      : pane === "messages" && hitContextNow.current && detail === null ? "hitContext"
      : "pane";
  };

  // Each key is handled as it arrives, against the state the key before left (a dialog one key opens takes
  // the next even before it is drawn), and the keys of one chunk are drawn in one frame. Live data waiting
  // for its batch is drawn in that frame too, rather than in a frame of its own right after.
  useInput((input: string, key: Key) => {
    store.flushPending();
    // Keys typed faster than the terminal is read arrive as one chunk of text: they are still separate keys.
    const chars = [...input];
    try {
      if (chars.length > 1 && !key.ctrl && !key.meta) {
        for (const ch of chars) handleKey(ch, { ...key, return: ch === "\r", tab: ch === "\t", backspace: ch === "\x7f" });
      } else {
        handleKey(input, key);
      }
    } catch (err) {
      failed(errorText(err)); // a key's action that throws is reported like one that fails later
    }
  });

  function handleKey(input: string, key: Key): void {
    const dialog = dialogNow.current;
    if (dialog?.kind === "busy") return;
    if (dialog?.kind === "result") return dispatchDialog({ type: "close" });
    const mode = modeNow();
    const action = routeKey(input, key, mode);
    if (action.type === "command") return command(action.command);
    if (action.type === "confirm") {
      if (action.yes && dialog?.kind === "confirm") return run(dialog.action);
      return dispatchDialog({ type: "close" });
    }
    if (action.type === "text") {
      const { edit } = action;
      if (mode === "searchInput") return dispatchSearch({ type: "edit", edit });
      if ("cancel" in edit) return dispatchDialog({ type: "close" });
      if ("submit" in edit && dialog?.kind === "label") return run({ type: "checkpoint", label: dialog.value.trim() });
      return dispatchDialog({ type: "edit", edit });
    }
  }

  if (layout.tooSmall) {
    return (
      <Box width={width} height={size.rows}>
        <Text>{`Terminal too small: ${width}×${size.rows}, needs at least ${MIN_COLUMNS}×${MIN_ROWS}. Q quits.`}</Text>
      </Box>
    );
  }

  const body = dialog ? <DialogBox dialog={dialog} width={width} />
    : app.help ? <HelpOverlay width={width} height={listHeight} />
    : app.pane === "checkpoints" ? <CheckpointsPane checkpoints={snap.checkpoints} recorder={snap.recorder} currentFile={snap.currentFile} currentRecords={view?.source.kind === "live" ? view.total : null} list={cps} width={width} height={listHeight} />
    : app.pane === "messages" && app.detail !== null ? <DetailView detail={detail} list={detailList} width={width} height={listHeight} />
    : app.pane === "messages" ? <MessagesPane view={view} list={messages} note={hitContext ? hitNote : null} row={(i) => store.row(i)} width={width} height={listHeight} />
    : app.pane === "search" ? <SearchPane search={search} indexState={services.indexState()} rowOf={hitRow} width={width} height={listHeight} />
    : <DiagnosticsPane recorder={snap.recorder} diskBytes={snap.diskBytes} indexState={services.indexState()} width={width} height={listHeight} />;

  return (
    <Box flexDirection="column" width={width} height={size.rows}>
      <TabBar pane={app.pane} width={width} />
      {banner !== null && <Text color={color("red")} bold>{fit(`⚠ ${sanitizeForTerminal(banner)}`, width)}</Text>}
      {/* Every line is fitted to the width already: only rows are clipped (cutting columns costs on every frame). */}
      <Box flexDirection="column" height={layout.bodyRows} overflowY="hidden">
        {body}
      </Box>
      <StatusBar recorder={snap.recorder} browseOnly={browseOnly} width={width} />
    </Box>
  );
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
