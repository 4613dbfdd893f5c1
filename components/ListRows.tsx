// Draws only the visible slice of a virtual list: one <Text> per screen row, never one per item.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { visibleRange, type ListWindow } from "./state/listWindow.ts";

export function ListRows(props: {
  list: ListWindow;
  height: number;
  renderRow: (index: number, selected: boolean) => ReactNode;
  empty?: string;
}) {
  const { start, end } = visibleRange(props.list);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) rows.push(<Box key={i}>{props.renderRow(i, i === props.list.cursor)}</Box>);
  // Rows come fitted to the width: clipping only what is below the list spares Ink cutting every line sideways.
  return (
    <Box flexDirection="column" height={props.height} overflowY="hidden">
      {rows.length === 0 && props.empty ? <Text dimColor>{props.empty}</Text> : rows}
    </Box>
  );
}
