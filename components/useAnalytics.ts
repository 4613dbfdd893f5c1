// The analytics pane's feed, running only while the pane is on screen, for the session or checkpoint open in the
// message viewer; its lines are laid out for the pane's width and the pane's list window grows with them.
import { useEffect, useMemo, useState } from "react";
import { analyticsLines, type AnalyticsLine } from "./analyticsLines.ts";
import type { Region } from "./layout.ts";
import type { TuiAction } from "./state/tui.ts";
import { AnalyticsFeed, type AnalyticsView } from "./store/analyticsFeed.ts";
import type { SessionSource } from "./store/sessionView.ts";

export function useAnalytics(logsDir: string, source: SessionSource | null, region: Region | undefined, dispatch: (a: TuiAction) => void): { title: string; lines: AnalyticsLine[] } {
  const [view, setView] = useState<AnalyticsView>({ report: null, complete: false, state: "" });
  const shown = region !== undefined;
  useEffect(() => {
    if (!shown || !source) return;
    const feed = new AnalyticsFeed(logsDir, source, () => setView(feed.view()));
    feed.start();
    return () => feed.close();
  }, [shown, source, logsDir]);
  const width = region?.width ?? 0;
  const lines = useMemo(() => analyticsLines(view.report, width, view.complete), [view.report, view.complete, width]);
  useEffect(() => dispatch({ type: "list", list: "analytics", action: { type: "grow", total: lines.length } }), [lines.length]);
  const title = source ? `${source.title}${view.state ? ` · ${view.state}` : ""}` : "open a session or checkpoint first";
  return { title, lines };
}
