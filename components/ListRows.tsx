// Draws only the visible slice of a virtual list: one <Text> per screen row, never one per item.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { Fragment, type ReactNode } from "react";
import { visibleRange, type ListWindow } from "./state/listWindow.ts";

export function ListRows(props: {
  list: ListWindow;
  height: number;
  renderRow: (index: number, selected: boolean) => ReactNode;
  empty?: string;
}) {
  const { start, end } = visibleRange(props.list);
  const rows: ReactNode[] = [];
  // Keyed by screen line, not by item: when the list scrolls (a live tail does with every batch), each line's
  // nodes take the new item's text instead of being torn down and built again (layout nodes included).
  for (let i = start; i < end; i++) rows.push(<Fragment key={i - start}>{props.renderRow(i, i === props.list.cursor)}</Fragment>);
  // Rows come fitted to the width: clipping only what is below the list spares Ink cutting every line sideways.
  return (
    <Box flexDirection="column" height={props.height} overflowY="hidden">
      {rows.length === 0 && props.empty ? <Text dimColor>{props.empty}</Text> : rows}
    </Box>
  );
}
