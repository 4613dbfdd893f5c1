// A line with its search matches highlighted, fitted to its width.
/** @jsxRuntime automatic @jsxImportSource react */
import { Text } from "ink";
import { fitMarked, type Marked } from "./highlight.ts";
import { color } from "./theme.ts";

export function MarkedText(props: { marked: Marked; width: number }) {
  return (
    <>
      {fitMarked(props.marked, props.width).map((s, i) =>
        s.hit ? <Text key={i} bold underline color={color("yellow")}>{s.text}</Text> : <Text key={i}>{s.text}</Text>,
      )}
    </>
  );
}
