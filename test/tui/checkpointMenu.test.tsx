import { describe, expect, it } from "vitest";
import { render } from "ink-testing-library";
import { stripVTControlCharacters } from "node:util";
import { CheckpointMenu } from "../../components/checkpointMenu.tsx";
import type { MenuChoice } from "../../src/launcher/menuChoice.ts";
import type { CheckpointInfo } from "../../src/storage/checkpoints.ts";
import { waitFor } from "../helpers/waitFor.ts";

const cp = (id: string, label: string): CheckpointInfo => ({
  id, label, created_at: "2025-11-30T10:00:00.000Z", session: "s", messages: 2349, records: 2350, bytes: 1_258_291, last_seq: 2350, sha256: "x", file: "f",
});

function menu() {
  const choices: MenuChoice[] = [];
  const ui = render(<CheckpointMenu agent="claude_code" checkpoints={[cp("a", "newest"), cp("b", "older")]} width={80} onChoice={(c) => choices.push(c)} />);
  const press = async (k: string) => {
    ui.stdin.write(k);
    await new Promise((r) => setImmediate(r));
  };
  return { ui, choices, press, frame: () => stripVTControlCharacters(ui.lastFrame() ?? "") };
}

describe("the startup checkpoint menu", () => {
  it("lists the choices with checkpoint lines in the spec's format", () => {
    const m = menu();
    expect(m.frame()).toContain("claude_code is starting");
    expect(m.frame()).toContain("Load 2025-11-30 10:00 | 2349 msgs | 1.20MB | newest");
    m.ui.unmount();
  });

  it("Enter on a checkpoint loads it; N starts a new session; Esc continues", async () => {
    const m = menu();
    await m.press("j");
    await m.press("j");
    await waitFor(() => m.frame().split("\n")[3]?.includes("newest"), { what: "third row" });
    await m.press("\r");
    await m.press("N");
    await m.press("\u001b");
    await waitFor(() => m.choices.length === 3, { what: "three choices" });
    expect(m.choices).toEqual([{ action: "load", checkpoint: "a" }, { action: "new" }, { action: "continue" }]);
    m.ui.unmount();
  });
});
