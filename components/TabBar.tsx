// The pane tabs on the top line; the one that has the keys is shown inverse.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { PANE_TITLES, PANES, type Pane } from "./state/app.ts";

export function TabBar(props: { pane: Pane; width: number }) {
  return (
    <Box width={props.width} height={1} overflow="hidden">
      <Text bold>shearwater </Text>
      {PANES.map((p) => (
        <Text key={p} inverse={p === props.pane}>{` ${PANE_TITLES[p]} `}</Text>
      ))}
    </Box>
  );
}
