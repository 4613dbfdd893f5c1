// The demo conversation looks like work: every kind of message, replies that point at earlier messages, and each
// sender numbering its own messages 1, 2, 3…
import { describe, expect, it } from "vitest";
import { DEMO_AGENTS, DemoConversation } from "../../src/demo/conversation.ts";

describe("DemoConversation", () => {
  const messages = Array.from({ length: 600 }, ((c) => () => c.next())(new DemoConversation(7)));

  it("has all three agents and every kind of message", () => {
    expect(new Set(messages.map((m) => m.payload.sender))).toEqual(new Set(DEMO_AGENTS));
    const types = new Set(messages.map((m) => m.payload.type));
    for (const t of ["request", "response", "handoff", "error", "broadcast", "question", "answer"]) expect(types).toContain(t);
    expect(messages.some((m) => /#\w+/.test(m.payload.text))).toBe(true);
  });

  it("links replies to earlier messages and numbers each sender's messages without gaps", () => {
    const seen = new Set<string>();
    const seqs: Record<string, number> = {};
    for (const { payload: p } of messages) {
      if (p.reply_to) expect(seen.has(p.reply_to)).toBe(true);
      seen.add(p.id);
      expect(p.seq).toBe((seqs[p.sender] ?? 0) + 1);
      seqs[p.sender] = p.seq;
    }
    expect(messages.filter((m) => m.payload.reply_to).length).toBeGreaterThan(messages.length / 3);
  });

  it("is the same conversation for the same seed", () => {
    const again = new DemoConversation(7);
    expect(messages.slice(0, 50).map((m) => m.payload.text)).toEqual(Array.from({ length: 50 }, () => again.next().payload.text));
  });
});
