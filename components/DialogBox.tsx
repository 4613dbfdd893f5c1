// The modal dialog: a question (y / n), a label prompt, work in progress, or what happened.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { wrap } from "../src/text/width.ts";
import type { Dialog } from "./state/dialog.ts";
import { color } from "./theme.ts";

export function DialogBox(props: { dialog: Dialog; width: number }) {
  const d = props.dialog;
  const inner = Math.max(10, props.width - 4);
  const body =
    d.kind === "confirm" ? [...wrap(d.question, inner), "", "y / Enter: yes · n / Esc: no"]
    : d.kind === "label" ? ["Checkpoint label:", `${d.value}▏`, "", "Enter: take the checkpoint · Esc: cancel"]
    : d.kind === "busy" ? wrap(d.text, inner)
    : [...wrap(d.text, inner), "", "any key: close"];
  const tone = d.kind === "result" ? (d.ok ? color("green") : color("red")) : color("cyan");
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={tone} paddingX={1} width={props.width}>
      {body.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
    </Box>
  );
}
