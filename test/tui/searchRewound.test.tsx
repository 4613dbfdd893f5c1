// The search pane draws a hit a rewind took out of the conversation as the message list draws such a message:
// dimmed, `(rewound)` after who said it; the other hits as before. Hits made by the one formatting the search
// threads use (hitView), drawn by ink-testing-library with styles on.
import "./forceColor.ts";
import { render } from "ink-testing-library";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { SearchPane } from "../../components/SearchPane.tsx";
import type { SearchHitView } from "../../components/services.ts";
import { initialSearch, searchReducer, type SearchState } from "../../components/state/search.ts";
import { hitView } from "../../components/store/searchHits.ts";
import type { HitFields } from "../../src/search/hitFields.ts";
import { dimAt } from "./dimAt.ts";

function hit(seq: number, text: string, rewound: boolean): HitFields {
  const at = text.indexOf("question");
  return {
    session: "S", offset: seq * 100, length: 90, seq, ts: `2026-11-24T10:00:0${seq}.000Z`, agent: "claude_code", recipient: "", topic: "claude_code",
    rewound, score: -1, snippet: { text, hits: [[at, at + "question".length]] },
  };
}

function searched(hits: SearchHitView[]): SearchState<SearchHitView> {
  let s = initialSearch<SearchHitView>(10);
  s = searchReducer(s, { type: "edit", edit: { insert: "question" } });
  s = searchReducer(s, { type: "started", query: "question" });
  s = searchReducer(s, { type: "found", query: "question", hits });
  return searchReducer(s, { type: "finished", query: "question" });
}

describe("the search pane", () => {
  it("dims a rewound hit and says (rewound) after who said it", () => {
    const hits = [hit(2, "first question", false), hit(4, "a question taken back", true)];
    const ui = render(<SearchPane search={searched(hits.map((h) => hitView(h)))} indexState="ready" width={120} height={8} />);
    try {
      const styled = (ui.lastFrame() ?? "").split("\n");
      const row = (text: string) => styled.find((l) => stripVTControlCharacters(l).includes(text))!;
      const rewound = row("a question taken back");
      const kept = row("first question");
      expect(stripVTControlCharacters(rewound)).toMatch(/claude_code \(rewound\)/);
      expect(stripVTControlCharacters(kept)).not.toContain("(rewound)");
      // Dimmed from its time to its text, the matched word still marked (underlined) within it.
      for (const part of ["10:00:04", "claude_code", "a ", "question", " taken back"]) expect(dimAt(rewound, part), part).toBe(true);
      expect(rewound).toMatch(/\u001b\[4m(?:\u001b\[[\d;]*m)*question/);
      for (const part of ["10:00:02", "claude_code", "first ", "question"]) expect(dimAt(kept, part), part).toBe(false);
    } finally {
      ui.unmount();
    }
  });
});
