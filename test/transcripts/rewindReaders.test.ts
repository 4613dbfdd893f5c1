// Readers apply a tap's rewind event: the TUI's message list dims the rows it names and says "(rewound)", those
// already on screen when the event arrives and those read after it alike. A real session file, followed as it grows.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rowOf } from "../../components/format.ts";
import { SessionView } from "../../components/store/sessionView.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";

const file = "/home/u/.claude/projects/p/s.jsonl";
const message = (seq: number, line: number, text: string) =>
  JSON.stringify({ v: 1, seq, ts: "2026-01-01T00:00:00.000Z", kind: "message", topic: "claude_code", meta: { agent: "claude_code", role: "user", text, source: { format: "claude", file, line, offset: 0, length: 1, type: "user" } }, payload: {} });

describe("a transcript_rewound event in the TUI's message list", () => {
  it("dims the rows it names, on screen before it arrives", async () => {
    const dir = await tmpDir();
    const session = path.join(dir, "current_session.jsonl");
    await fs.writeFile(session, [message(1, 1, "kept"), message(2, 2, "taken back"), message(3, 3, "taken back too")].join("\n") + "\n");
    const view = new SessionView({ kind: "live", file: session, title: "current" }, () => {});
    await view.open();
    try {
      const rows = () => [0, 1, 2].map((i) => rowOf(view.row(i)!));
      expect(rows().map((r) => r.dim)).toEqual([false, false, false]);
      const event = { v: 1, seq: 4, ts: "2026-01-01T00:00:01.000Z", kind: "event", event: "transcript_rewound", format: "claude", file, at: "a1", lines: [2, 3], ids: ["u2", "a2"] };
      await fs.appendFile(session, `${JSON.stringify(event)}\n`);
      await waitFor(() => view.total === 4 || null, { what: "the event followed" });
      view.want(0, view.total); // as the list does for the rows on screen
      await waitFor(() => (rows()[1].dim ? true : null), { what: "the row dimmed" });
      expect(rows().map((r) => [r.dim, r.who.endsWith("(rewound)")])).toEqual([[false, false], [true, true], [true, true]]);
    } finally {
      view.close();
    }
  });
});
