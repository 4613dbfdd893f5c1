// `?`: every key of the key table, generated from it so the help can't drift from what the keys do.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { fit } from "../src/text/width.ts";
import { helpLines } from "./keys.ts";

export function HelpOverlay(props: { width: number; height: number }) {
  const lines = helpLines();
  const keyW = Math.max(...lines.map((l) => l.keys.length)) + 2;
  return (
    <Box flexDirection="column" height={props.height + 1} overflowY="hidden">
      <Text bold>{fit("Keys — any key closes · in the search box letters are typed (Esc leaves it)", props.width)}</Text>
      {lines.map((l) => (
        <Text key={l.keys + l.help}>{fit(`${l.keys.padEnd(keyW)}${l.help}`, props.width)}</Text>
      ))}
    </Box>
  );
}
