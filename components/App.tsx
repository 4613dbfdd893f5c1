// The TUI's layout and wiring: the state (state/tui.ts) behind one reducer, the live data from the store as
// immutable snapshots, the follow logic (useFollow), search as you type (useSearchAsYouType), keys and the mouse
// (useInputRouting → commands.ts). What is drawn where comes from layout.ts: tabs on a narrow terminal, the
// checkpoint list beside the message viewer from SPLIT_COLUMNS on.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text, useStdout } from "ink";
import { useEffect, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { CheckpointsPane } from "./CheckpointsPane.tsx";
import type { CommandContext } from "./commands.ts";
import { detailOf } from "./detailLines.ts";
import { DetailView } from "./DetailView.tsx";
import { DiagnosticsPane } from "./DiagnosticsPane.tsx";
import { DialogBox } from "./DialogBox.tsx";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { fit } from "../src/text/width.ts";
import { HelpOverlay } from "./HelpOverlay.tsx";
import { layoutFor, listHeights, MIN_COLUMNS, MIN_ROWS, regionsOf, type Region } from "./layout.ts";
import { MessagesPane } from "./MessagesPane.tsx";
import { SearchPane } from "./SearchPane.tsx";
import type { TuiServices } from "./services.ts";
import type { Pane } from "./state/app.ts";
import { initialTui, tuiReducer } from "./state/tui.ts";
import { StatusBar } from "./StatusBar.tsx";
import type { TuiStore } from "./store/tuiStore.ts";
import { TabBar } from "./TabBar.tsx";
import type { ScreenSession } from "./terminal.ts";
import { color } from "./theme.ts";
import { useFollow } from "./useFollow.ts";
import { useInputRouting } from "./useInputRouting.ts";
import { useLatestReducer } from "./useLatestReducer.ts";
import { useSearchAsYouType } from "./useSearchAsYouType.ts";
import { AnalyticsPane } from "./AnalyticsPane.tsx";
import { useAnalytics } from "./useAnalytics.ts";
import { useTerminalSize, type Size } from "./useTerminalSize.ts";
import { recorderAlert } from "./recorderAlert.ts";

/** A notice in the status bar gives way to the help hint again after this long. */
export const NOTICE_MS = 4000;

export interface AppProps {
  store: TuiStore;
  services: TuiServices;
  browseOnly: boolean;
  onQuit: () => void;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: Size;
  /** The pane that has the keys first; the live tail of the current session unless told otherwise. */
  startPane?: Pane;
  /** The real terminal (for the pager); absent in tests that draw into a fake one. */
  screen?: ScreenSession;
}

export function App({ store, services, browseOnly, onQuit, size: fixedSize, startPane = "messages", screen }: AppProps) {
  const size = useTerminalSize(fixedSize);
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const banner = snap.banner ?? recorderAlert(snap.recorder);
  const layout = layoutFor(size.columns, size.rows, banner !== null);
  const { stdout } = useStdout();

  // Key handlers read the newest state (`now.current`), which may not be drawn yet; rendering reads `state`.
  const [state, dispatch, now] = useLatestReducer(tuiReducer, () => initialTui(layout.bodyRows - 1, { pane: startPane }));
  const { app } = state;
  const checkpointRows = snap.checkpoints.length + 1;
  const regions = regionsOf(layout, app, checkpointRows);
  const detailWidth = layout.split ? layout.leftColumns : layout.columns;

  const heights = listHeights(layout, app, checkpointRows);
  useEffect(() => dispatch({ type: "resize", heights }), [heights.messages, heights.checkpoints, heights.detail, heights.search]);
  useEffect(() => dispatch({ type: "list", list: "checkpoints", action: { type: "grow", total: checkpointRows } }), [checkpointRows]);

  const follow = useFollow(snap.view, now, dispatch);
  useSearchAsYouType(services, state.search.query, dispatch);

  // Read only the rows on screen.
  const { messages } = state;
  useEffect(() => store.want(messages.top, messages.top + messages.height), [messages.top, messages.height, snap.version]);
  useEffect(() => {
    if (app.detail !== null) store.want(app.detail, app.detail + 1);
  }, [app.detail, snap.version]);
  const detailEntry = app.detail !== null ? store.row(app.detail) : undefined;
  const detail = useMemo(() => (detailEntry ? detailOf(detailEntry, state.folds, detailWidth) : null), [detailEntry, state.folds, detailWidth]);
  useEffect(() => dispatch({ type: "list", list: "detail", action: { type: "grow", total: detail?.lines.length ?? 0 } }), [detail?.lines.length]);

  const analytics = useAnalytics(store.logsDir, snap.view?.source ?? null, regions.find((r) => r.id === "analytics"), dispatch);
  const diagnosticsShown = regions.some((r) => r.id === "diagnostics");
  useEffect(() => store.watchDisk(diagnosticsShown), [diagnosticsShown]);
  useEffect(() => {
    if (state.notice === null) return;
    const timer = setTimeout(() => dispatch({ type: "notice", text: null }), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [state.notice]);

  const ctx: CommandContext = {
    now, dispatch, store, services, follow, onQuit, screen,
    split: layout.split, detailWidth, columns: layout.columns,
    write: (data) => void stdout.write(data),
  };
  useInputRouting(ctx, regions);

  if (layout.tooSmall) {
    return (
      <Box width={layout.columns} height={size.rows}>
        <Text>{`Terminal too small: ${layout.columns}×${size.rows}, needs at least ${MIN_COLUMNS}×${MIN_ROWS}. Q quits.`}</Text>
      </Box>
    );
  }

  const hit = state.hitContext ? state.search.hits[state.search.list.cursor] : undefined;
  const pane = (r: Region): ReactNode => {
    const common = { width: r.width, height: r.height - 1, focused: layout.split && isFocused(r) };
    switch (r.id) {
      case "checkpoints":
        return <CheckpointsPane {...common} checkpoints={snap.checkpoints} recorder={snap.recorder} currentFile={snap.currentFile} currentRecords={snap.view?.source.kind === "live" ? snap.view.total : null} head={snap.listHead} list={state.checkpoints} />;
      case "detail":
        return <DetailView {...common} detail={detail} list={state.detail} words={hit?.words ?? []} />;
      case "messages":
        return <MessagesPane {...common} view={snap.view} list={messages} note={state.hitContext ? state.hitNote : null} row={(i) => store.row(i)} />;
      case "search":
        return <SearchPane {...common} search={state.search} indexState={services.indexState()} />;
      case "diagnostics":
        return <DiagnosticsPane {...common} recorder={snap.recorder} diskBytes={snap.diskBytes} storage={snap.storage} indexState={services.indexState()} />;
      case "analytics":
        return <AnalyticsPane {...common} title={analytics.title} lines={analytics.lines} list={state.analytics} />;
    }
  };
  const isFocused = (r: Region) => (r.id === "detail" ? app.pane === "messages" : r.id === app.pane && !(r.id === "messages" && app.detail !== null));
  const placed = (r: Region) => (
    <Box key={r.id} flexDirection="column" width={r.width} height={r.height} overflowY="hidden">
      {pane(r)}
    </Box>
  );

  const overlay = state.dialog ? <DialogBox dialog={state.dialog} width={layout.columns} />
    : app.help ? <HelpOverlay width={layout.columns} height={layout.bodyRows - 1} />
    : null;
  const panes = layout.split ? (
    <Box flexDirection="row">
      <Box flexDirection="column" width={layout.leftColumns}>{regions.filter((r) => r.x === 0).map(placed)}</Box>
      <Text dimColor>{Array.from({ length: layout.bodyRows }, () => "│").join("\n")}</Text>
      {regions.filter((r) => r.x > 0).map(placed)}
    </Box>
  ) : placed(regions[0]);

  return (
    <Box flexDirection="column" width={layout.columns} height={size.rows}>
      <TabBar pane={app.pane} width={layout.columns} />
      {banner !== null && <Text color={color("red")} bold>{fit(`⚠ ${sanitizeForTerminal(banner)}`, layout.columns)}</Text>}
      {/* Every line is fitted to the width already: only rows are clipped (cutting columns costs on every frame). */}
      <Box flexDirection="column" height={layout.bodyRows} overflowY="hidden">
        {overlay}
        {/* Under an overlay the panes stay mounted, only hidden: closing it draws them again instead of building
            every row anew (a full screen of rows took some 40 ms to build while messages streamed in). */}
        <Box display={overlay ? "none" : "flex"} flexDirection="column">{panes}</Box>
      </Box>
      <StatusBar recorder={snap.recorder} browseOnly={browseOnly} notice={state.notice} width={layout.columns} />
    </Box>
  );
}
