// One record in full, scrolled as a list of lines; Enter folds the JSON object under the cursor.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import type { Detail } from "./detailLines.ts";
import { fit } from "../src/text/width.ts";
import { ListRows } from "./ListRows.tsx";
import type { ListWindow } from "./state/listWindow.ts";

export function DetailView(props: { detail: Detail | null; list: ListWindow; width: number; height: number }) {
  const lines = props.detail?.lines ?? [];
  return (
    <Box flexDirection="column">
      <Text bold>{fit("Detail — ↑↓ scroll · Enter fold/unfold JSON · Esc back", props.width)}</Text>
      <ListRows
        list={props.list}
        height={props.height}
        empty="loading…"
        renderRow={(i, selected) => (
          <Text inverse={selected} bold={lines[i]?.heading}>
            {fit(lines[i]?.text ?? "", props.width)}
          </Text>
        )}
      />
    </Box>
  );
}
