// The modal dialog as a pure reducer: ask before acting (load, new), ask for a label (checkpoint), then show
// what happened. While a dialog is open it takes every key (see keys.ts).
import type { TextEdit } from "../keys.ts";

export type PendingAction =
  | { type: "load"; checkpoint: string; label: string }
  | { type: "new" }
  | { type: "checkpoint"; label: string };

export type Dialog =
  | { kind: "confirm"; action: PendingAction; question: string }
  | { kind: "label"; value: string }
  | { kind: "busy"; text: string }
  | { kind: "result"; ok: boolean; text: string };

export type DialogAction =
  | { type: "ask"; action: PendingAction }
  | { type: "askLabel" }
  | { type: "edit"; edit: TextEdit }
  | { type: "busy"; text: string }
  | { type: "done"; ok: boolean; text: string }
  | { type: "close" };

const MAX_LABEL = 80;

export function questionFor(action: PendingAction): string {
  switch (action.type) {
    case "load":
      return `Load checkpoint "${action.label}"? The current session is checkpointed, sealed and kept; the checkpoint's conversation becomes a new session.`;
    case "new":
      return "Start a new session? The current session is checkpointed, sealed and kept.";
    case "checkpoint":
      return `Take a checkpoint labelled "${action.label}"?`;
  }
}

export function dialogReducer(d: Dialog | null, a: DialogAction): Dialog | null {
  switch (a.type) {
    case "ask":
      return { kind: "confirm", action: a.action, question: questionFor(a.action) };
    case "askLabel":
      return { kind: "label", value: "" };
    case "edit": {
      if (d?.kind !== "label") return d;
      if ("insert" in a.edit) return { ...d, value: (d.value + a.edit.insert).slice(0, MAX_LABEL) };
      if ("backspace" in a.edit) return { ...d, value: [...d.value].slice(0, -1).join("") };
      return d; // submit / cancel are acted on by the app, which then closes or proceeds
    }
    case "busy":
      return { kind: "busy", text: a.text };
    case "done":
      return { kind: "result", ok: a.ok, text: a.text };
    case "close":
      return null;
  }
}
