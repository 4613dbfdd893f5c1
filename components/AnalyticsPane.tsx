// The analytics pane (A): what the agents did in the open session or checkpoint, as terminal bar charts, live for
// the current session: counts from the search index at once, the full report (chains, latency, tokens) after.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { fit } from "../src/text/width.ts";
import type { AnalyticsLine } from "./analyticsLines.ts";
import { ListRows } from "./ListRows.tsx";
import { PaneHeader } from "./PaneHeader.tsx";
import type { ListWindow } from "./state/listWindow.ts";

export function AnalyticsPane(props: { title: string; lines: AnalyticsLine[]; list: ListWindow; width: number; height: number; focused?: boolean }) {
  return (
    <Box flexDirection="column">
      <PaneHeader text={`Analytics — ${sanitizeForTerminal(props.title)} · ↑↓ scroll`} width={props.width} focused={props.focused} />
      <ListRows
        list={props.list}
        height={props.height}
        empty="reading the index… (the full report follows)"
        renderRow={(i, selected) => (
          <Text inverse={selected} bold={props.lines[i]?.heading}>{fit(props.lines[i]?.text ?? "", props.width)}</Text>
        )}
      />
    </Box>
  );
}
