// One record in full, scrolled as a list of lines; Enter folds the JSON object under the cursor, or opens and folds
// the thinking or tool result under it. Opened from a
// search hit, the words the hit matched are highlighted wherever they occur.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import type { Detail } from "./detailLines.ts";
import { fit } from "../src/text/width.ts";
import { rangesOfWords } from "./highlight.ts";
import { ListRows } from "./ListRows.tsx";
import { MarkedText } from "./MarkedText.tsx";
import { PaneHeader } from "./PaneHeader.tsx";
import type { ListWindow } from "./state/listWindow.ts";

export function DetailView(props: { detail: Detail | null; list: ListWindow; words: readonly string[]; width: number; height: number; focused?: boolean }) {
  const lines = props.detail?.lines ?? [];
  return (
    <Box flexDirection="column">
      <PaneHeader text="Detail — ↑↓ scroll · Enter fold/unfold · y/Y copy · o pager · Esc back" width={props.width} focused={props.focused} />
      <ListRows
        list={props.list}
        height={props.height}
        empty="loading…"
        renderRow={(i, selected) => {
          const text = lines[i]?.text ?? "";
          const hits = rangesOfWords(text, props.words);
          return (
            <Text inverse={selected} bold={lines[i]?.heading} dimColor={lines[i]?.dim}>
              {hits.length > 0 ? <MarkedText marked={{ text, hits }} width={props.width} /> : fit(text, props.width)}
            </Text>
          );
        }}
      />
    </Box>
  );
}
