// The checkpoint menu an agent sees at startup (src/launcher/menuChoice.ts's contract): continue the current session,
// start a new one, or load a checkpoint. Drawn inline (not full-screen): it is one question before the agent runs.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, render, Text, useApp, useInput } from "ink";
import { useReducer, useRef } from "react";
import type { CheckpointMenuOptions, MenuChoice } from "../src/launcher/menuChoice.ts";
import { listCheckpoints, type CheckpointInfo } from "../src/storage/checkpoints.ts";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { checkpointLine } from "./CheckpointsPane.tsx";
import { fit } from "../src/text/width.ts";
import { commandFor, keyName } from "./keys.ts";
import { initialWindow, listReducer, type ListAction, type ListWindow } from "./state/listWindow.ts";

/** Checkpoint rows shown at once; the list scrolls beyond. */
const VISIBLE = 10;

export function CheckpointMenu(props: { agent: string; checkpoints: CheckpointInfo[]; width: number; onChoice: (c: MenuChoice) => void }) {
  const fixed = ["Continue the current session", "New session (the current one is checkpointed and kept)"];
  const total = fixed.length + props.checkpoints.length;
  // The window lives in a ref, updated as each key arrives, so keys typed before the next frame see the last move.
  const win = useRef<ListWindow>({ ...initialWindow(total, Math.min(total, VISIBLE + fixed.length)), cursor: 0, top: 0 });
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const dispatch = (a: ListAction) => {
    win.current = listReducer(win.current, a);
    redraw();
  };
  const list = win.current;
  const choose = (i: number) => {
    if (i === 0) props.onChoice({ action: "continue" });
    else if (i === 1) props.onChoice({ action: "new" });
    else props.onChoice({ action: "load", checkpoint: props.checkpoints[i - fixed.length].id });
  };
  useInput((input, key) => {
    const name = keyName(input, key);
    if (name === "escape" || name === "q" || name === "Q" || name === "ctrl+c") return props.onChoice({ action: "continue" });
    if (name === "N") return props.onChoice({ action: "new" });
    const cmd = commandFor(name, "pane");
    if (cmd === "up" || cmd === "down") dispatch({ type: "move", delta: cmd === "up" ? -1 : 1 });
    else if (cmd === "pageUp" || cmd === "pageDown") dispatch({ type: "page", dir: cmd === "pageUp" ? -1 : 1 });
    else if (cmd === "home" || cmd === "end") dispatch({ type: cmd });
    else if (cmd === "open" || cmd === "load") choose(win.current.cursor);
  });
  const rows: string[] = [];
  for (let i = list.top; i < Math.min(total, list.top + list.height); i++) {
    rows.push(i < fixed.length ? fixed[i] : `Load ${checkpointLine(props.checkpoints[i - fixed.length])}`);
  }
  return (
    <Box flexDirection="column">
      <Text bold>{fit(`shearwater · ${sanitizeForTerminal(props.agent)} is starting: which conversation?`, props.width)}</Text>
      {rows.map((r, k) => (
        <Text key={list.top + k} inverse={list.top + k === list.cursor}>{fit(r, props.width)}</Text>
      ))}
      <Text dimColor>{fit("↑↓ move · Enter choose · N new · Esc/Q continue", props.width)}</Text>
    </Box>
  );
}

function MenuApp(props: { agent: string; checkpoints: CheckpointInfo[]; width: number; done: (c: MenuChoice) => void }) {
  const { exit } = useApp();
  return (
    <CheckpointMenu
      {...props}
      onChoice={(c) => {
        props.done(c);
        exit();
      }}
    />
  );
}

export async function runCheckpointMenu(opts: CheckpointMenuOptions): Promise<MenuChoice> {
  const checkpoints = await listCheckpoints(opts.logsDir);
  const stdout = opts.stdout ?? process.stdout;
  let choice: MenuChoice = { action: "continue" };
  const ink = render(<MenuApp agent={opts.agent} checkpoints={checkpoints} width={Math.min(100, stdout.columns || 80)} done={(c) => (choice = c)} />, {
    stdin: opts.stdin,
    stdout,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await ink.waitUntilExit();
  return choice;
}
