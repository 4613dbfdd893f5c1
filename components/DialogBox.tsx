// The modal dialog: a question (y / n), a label prompt, work in progress, or what happened.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { wrap } from "../src/text/width.ts";
import type { Dialog } from "./state/dialog.ts";
import { color } from "./theme.ts";

export function DialogBox(props: { dialog: Dialog; width: number }) {
  const d = props.dialog;
  const inner = Math.max(10, props.width - 4);
  // Questions and results quote labels and error messages, which come from files and other processes.
  const wrapped = (text: string) => wrap(sanitizeForTerminal(text), inner);
  const body =
    d.kind === "confirm" ? [...wrapped(d.question), "", "y / Enter: yes · n / Esc: no"]
    : d.kind === "label" ? ["Checkpoint label:", `${sanitizeForTerminal(d.value)}▏`, "", "Enter: take the checkpoint · Esc: cancel"]
    : d.kind === "busy" ? wrapped(d.text)
    : [...wrapped(d.text), "", "any key: close"];
  const tone = d.kind === "result" ? (d.ok ? color("green") : color("red")) : color("cyan");
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={tone} paddingX={1} width={props.width}>
      {body.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
    </Box>
  );
}
