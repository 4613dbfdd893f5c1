// The one key table: every key of docs/SPEC.md mapped to a named command, and the one place that routes a key press.
// A modal dialog takes keys first, then the help overlay, then a text input, then the active pane. Key names are a
// union type, so a binding with a misspelt key does not compile; test/tui/keys.test.ts proves that no key means two
// things in one mode and that every command has a binding with help text.
import type { Key } from "ink";

export const COMMANDS = [
  "quit", "help", "nextPane", "prevPane",
  "viewMessages", "search", "diagnostics", "analytics",
  "up", "down", "pageUp", "pageDown", "home", "end",
  "open", "back", "follow", "nextHit", "prevHit",
  "copyText", "copyRecord", "pager",
  "load", "newSession", "checkpoint",
] as const;
export type Command = (typeof COMMANDS)[number];

/** What the UI is doing when a key arrives; decides which bindings apply. */
export const KEY_MODES = ["dialog", "textDialog", "help", "searchInput", "pane", "hitContext"] as const;
export type KeyMode = (typeof KEY_MODES)[number];

type Letter = "a" | "b" | "c" | "d" | "e" | "f" | "g" | "h" | "i" | "j" | "k" | "l" | "m" | "n" | "o" | "p" | "q" | "r"
  | "s" | "t" | "u" | "v" | "w" | "x" | "y" | "z";
/** Ink's named keys, as keyName() names them. */
export type NamedKey = "up" | "down" | "left" | "right" | "pageUp" | "pageDown" | "home" | "end" | "return" | "escape"
  | "tab" | "shift+tab" | "backspace" | "ctrl+c";
export type KeyName = NamedKey | Letter | Uppercase<Letter> | "?" | "/";

export interface Binding {
  command: Command;
  keys: KeyName[];
  help: string;
  /** Modes where the binding applies; absent = every pane mode ("pane", "hitContext"). */
  modes?: KeyMode[];
}

const MOVING: KeyMode[] = ["pane", "hitContext", "searchInput", "help"];
const ANYWHERE: KeyMode[] = ["pane", "hitContext", "searchInput"];

export const BINDINGS: Binding[] = [
  { command: "load", keys: ["L", "l"], help: "load the selected checkpoint (asks first)" },
  { command: "newSession", keys: ["N"], help: "new session (asks first)", modes: ["pane"] },
  { command: "viewMessages", keys: ["V", "v"], help: "the live tail of the current session" },
  { command: "search", keys: ["S", "s", "/"], help: "search (results stream in; matches highlighted)" },
  { command: "diagnostics", keys: ["D", "d"], help: "diagnostics" },
  { command: "analytics", keys: ["A", "a"], help: "analytics of the open session or checkpoint: messages, chains, reply latency, errors, tokens, cost" },
  { command: "checkpoint", keys: ["C", "c"], help: "take a checkpoint (asks for a label)" },
  { command: "quit", keys: ["Q", "q", "ctrl+c"], help: "quit (the recorder keeps recording)", modes: ANYWHERE },
  { command: "help", keys: ["?"], help: "this help" },
  { command: "nextPane", keys: ["tab"], help: "next pane", modes: ANYWHERE },
  { command: "prevPane", keys: ["shift+tab"], help: "previous pane", modes: ANYWHERE },
  { command: "up", keys: ["up", "k"], help: "move up", modes: MOVING },
  { command: "down", keys: ["down", "j"], help: "move down", modes: MOVING },
  { command: "pageUp", keys: ["pageUp"], help: "page up", modes: MOVING },
  { command: "pageDown", keys: ["pageDown"], help: "page down", modes: MOVING },
  { command: "home", keys: ["g", "home"], help: "first" },
  { command: "end", keys: ["G", "end"], help: "last (and follow the live tail)" },
  { command: "open", keys: ["return"], help: "open (checkpoint → messages, message → detail, hit → in context; in the detail folds JSON, opens and folds thinking and tool results)", modes: ANYWHERE },
  { command: "back", keys: ["escape"], help: "back / close (from search: the tail where it was)", modes: MOVING },
  { command: "follow", keys: ["f"], help: "follow the live tail on/off" },
  { command: "nextHit", keys: ["n"], help: "next search hit (after Enter on a hit)", modes: ["hitContext"] },
  { command: "prevHit", keys: ["N"], help: "previous search hit (after Enter on a hit)", modes: ["hitContext"] },
  { command: "copyText", keys: ["y"], help: "copy the message's text to the clipboard (OSC 52)" },
  { command: "copyRecord", keys: ["Y"], help: "copy the message's raw record to the clipboard (OSC 52)" },
  { command: "pager", keys: ["o"], help: "open the message in $PAGER" },
];

const PANE_MODES: KeyMode[] = ["pane", "hitContext"];

/** The modes a binding applies in. */
export function modesOf(b: Binding): KeyMode[] {
  return b.modes ?? PANE_MODES;
}

/** The name of a key press as used in BINDINGS (a typed character is its own name). */
export function keyName(input: string, key: Key): string {
  if (key.ctrl && input === "c") return "ctrl+c";
  if (key.tab) return key.shift ? "shift+tab" : "tab";
  if (key.upArrow) return "up";
  if (key.downArrow) return "down";
  if (key.leftArrow) return "left";
  if (key.rightArrow) return "right";
  if (key.pageUp) return "pageUp";
  if (key.pageDown) return "pageDown";
  if (key.home) return "home";
  if (key.end) return "end";
  if (key.return) return "return";
  if (key.escape) return "escape";
  if (key.backspace || key.delete) return "backspace";
  return input;
}

export function commandFor(name: string, mode: KeyMode): Command | null {
  for (const b of BINDINGS) {
    if (modesOf(b).includes(mode) && (b.keys as string[]).includes(name)) return b.command;
  }
  return null;
}

/** What a key press means in a mode: a command, an edit of the text being typed, or nothing. */
export type KeyAction =
  | { type: "command"; command: Command }
  | { type: "text"; edit: TextEdit }
  | { type: "confirm"; yes: boolean }
  | { type: "none" };

export type TextEdit = { insert: string } | { backspace: true } | { submit: true } | { cancel: true };

export function routeKey(input: string, key: Key, mode: KeyMode): KeyAction {
  const name = keyName(input, key);
  if (mode === "dialog") {
    if (name === "y" || name === "Y" || name === "return") return { type: "confirm", yes: true };
    if (name === "n" || name === "N" || name === "escape" || name === "ctrl+c") return { type: "confirm", yes: false };
    return { type: "none" };
  }
  if (mode === "textDialog" || mode === "searchInput") {
    if (mode === "textDialog") {
      if (name === "return") return { type: "text", edit: { submit: true } };
      if (name === "escape" || name === "ctrl+c") return { type: "text", edit: { cancel: true } };
    }
    if (name === "backspace") return { type: "text", edit: { backspace: true } };
    // In the search box only named keys (arrows, Enter, Esc, Tab, Ctrl+C) are commands; letters are typed.
    const cmd = mode === "searchInput" && name.length > 1 ? commandFor(name, mode) : null;
    if (cmd) return { type: "command", command: cmd };
    if (input && !key.ctrl && !key.meta && printable(input)) return { type: "text", edit: { insert: input } };
    return { type: "none" };
  }
  if (mode === "help") {
    const cmd = commandFor(name, mode);
    if (cmd) return { type: "command", command: cmd };
    return { type: "command", command: "back" }; // any other key closes the help
  }
  const cmd = commandFor(name, mode);
  return cmd ? { type: "command", command: cmd } : { type: "none" };
}

function printable(input: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u001f\u007f-\u009f]/.test(input);
}

/** Lines for the help overlay: every binding once, keys shown as a user types them. */
export function helpLines(): Array<{ keys: string; help: string }> {
  const shown = (k: string) =>
    ({ up: "↑", down: "↓", left: "←", right: "→", pageUp: "PgUp", pageDown: "PgDn", return: "Enter", escape: "Esc",
       tab: "Tab", "shift+tab": "Shift+Tab", "ctrl+c": "Ctrl+C", home: "Home", end: "End", backspace: "Backspace" })[k] ?? k;
  return BINDINGS.map((b) => ({ keys: b.keys.map(shown).join(" "), help: b.help }));
}
