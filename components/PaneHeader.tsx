// A pane's title line; the pane that has the keys shows it inverse when panes stand side by side.
/** @jsxRuntime automatic @jsxImportSource react */
import { Text } from "ink";
import { fit } from "../src/text/width.ts";

export function PaneHeader(props: { text: string; width: number; focused?: boolean }) {
  return <Text bold inverse={props.focused}>{fit(props.text, props.width)}</Text>;
}
