// A line with its search matches highlighted, fitted to its width.
/** @jsxRuntime automatic @jsxImportSource react */
import { Text } from "ink";
import { fitMarked, type Marked } from "./highlight.ts";
import { color } from "./theme.ts";

/**
 * `dim`: every piece dimmed, the matches underlined rather than bold — a terminal ends bold and dim with one code,
 * so a dimmed row around a bold match would lose its dimming after the first match.
 */
export function MarkedText(props: { marked: Marked; width: number; dim?: boolean }) {
  const dim = props.dim === true;
  return (
    <>
      {fitMarked(props.marked, props.width).map((s, i) =>
        s.hit ? (
          <Text key={i} bold={!dim} dimColor={dim} underline color={color("yellow")}>{s.text}</Text>
        ) : (
          <Text key={i} dimColor={dim}>{s.text}</Text>
        ),
      )}
    </>
  );
}
