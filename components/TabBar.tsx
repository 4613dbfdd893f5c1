// The pane tabs on the top line; the active one is shown inverse.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { PANES, type Pane } from "./state/app.ts";

const TITLES: Record<Pane, string> = { checkpoints: "Checkpoints", messages: "Messages", search: "Search", diagnostics: "Diagnostics" };

export function TabBar(props: { pane: Pane; width: number }) {
  return (
    <Box width={props.width} height={1} overflow="hidden">
      <Text bold>shearwater </Text>
      {PANES.map((p) => (
        <Text key={p} inverse={p === props.pane}>{` ${TITLES[p]} `}</Text>
      ))}
    </Box>
  );
}
