import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Enricher } from "../../src/recorder/enrich.ts";
import { compileRulesText, defaultRules, loadRulesFile, RulesFileError } from "../../src/recorder/rulesFile.ts";
import { tmpDir } from "../helpers/tmp.ts";

describe("default enrichment", () => {
  const enrich = (topic: string, payload: unknown) => new Enricher(defaultRules()).enrich(topic, payload);

  it("finds the sender, recipient, tier, chain type and tags", () => {
    expect(enrich("chat", { from: "claude", to: "gemini", text: "can you review #PR-12?", tags: ["#code"] })).toEqual({
      agent: "claude",
      recipient: "gemini",
      ace_tier: 2,
      chain_type: "request",
      shl_tags: ["pr-12", "code"],
    });
    expect(enrich("agents.errors", { sender: "x", text: "boom" })).toMatchObject({ ace_tier: 1, chain_type: "error", shl_tags: ["error"] });
    expect(enrich("chat", { sender: "x", to: "human", text: "done" })).toMatchObject({ ace_tier: 1, shl_tags: ["human"] });
    expect(enrich("chat", { sender: "x", type: "handoff", to: "y" })).toMatchObject({ ace_tier: 2, chain_type: "handoff" });
    expect(enrich("heartbeat", { sender: "x" })).toMatchObject({ ace_tier: 3, chain_type: "system" });
    expect(enrich("news", { sender: "x", text: "deployed" })).toMatchObject({ ace_tier: 3, chain_type: "broadcast" });
    expect(enrich("news", { sender: "x", tier: 1 })).toMatchObject({ ace_tier: 1 }); // the payload's own tier wins
    expect(enrich("topic-only", "plain string")).toMatchObject({ agent: "topic-only" });
    expect(enrich("", undefined)).toEqual({ ace_tier: 3, chain_type: "broadcast" });
  });

  it("links replies to the first message of their chain", () => {
    const e = new Enricher(defaultRules(), 3);
    expect(e.enrich("c", { id: "m1", from: "a", to: "b", text: "q?" }).chain_id).toBe("m1");
    expect(e.enrich("c", { id: "m2", reply_to: "m1" })).toMatchObject({ chain_id: "m1", chain_type: "response" });
    expect(e.enrich("c", { id: "m3", in_reply_to: "m2" }).chain_id).toBe("m1");
    expect(e.enrich("c", { id: "m4", parent_id: "m3" }).chain_id).toBe("m1");
    expect(e.enrich("c", { id: "x1" }).chain_id).toBe("x1");
    expect(e.enrich("c", { id: "x2", reply_to: "m1" }).chain_id).toBe("m1"); // m1 is forgotten (bound 3): its own id
  });

  it("never fails a message: a throwing rule leaves it unenriched and counted", () => {
    const rules = defaultRules();
    rules.rules.unshift({ name: "broken", set: {}, tags: [], test: () => { throw new Error("kaput"); } });
    const e = new Enricher(rules);
    expect(e.enrich("t", { from: "a" })).toEqual({ enrich_error: 'rule "broken" failed: kaput' });
    expect(e.errors).toBe(1);
  });
});

describe("rules files", () => {
  it("replace the defaults", async () => {
    const file = path.join(await tmpDir(), "rules.json");
    await fs.writeFile(file, JSON.stringify({ default_tier: 2, rules: [{ name: "deploys", when: { text: { matches: "deploy" } }, set: { chain_type: "system" }, tags: ["ops"] }] }));
    const e = new Enricher(await loadRulesFile(file));
    expect(e.enrich("t", { from: "a", text: "Deploying now" })).toEqual({ agent: "a", ace_tier: 2, chain_type: "system", shl_tags: ["ops"] });
    expect(e.enrich("t", { from: "a", text: "hi" })).toEqual({ agent: "a", ace_tier: 2 });
  });

  it.each([
    ['{\n  "rules": [\n    { "name": "x", "when": {} },\n  ]\n}', /rules\.json:4:3: not valid JSON: unexpected character "\]"/],
    ['{\n  "rules": [\n    { "name": "x",\n      "when": { "colour": "red" } }\n  ]\n}', /rules\.json:4:27: rules\[0\]\.when\.colour: unknown field "colour"/],
    ['{ "rules": [ { "name": "x", "when": { "text": { "matches": "(" } } } ] }', /rules\.json:1:60: .*bad regular expression/],
    ['{ "rules": [ { "name": "x", "when": {}, "set": { "ace_tier": 4 } } ] }', /rules\.json:1:62: rules\[0\]\.set\.ace_tier: ace_tier must be 1, 2 or 3/],
    ['{ "rules": [ { "when": {} } ] }', /rules\.json:1:14: .*every rule needs a name/],
    ['{ "rule": [] }', /rules\.json:1:11: rule: unknown key "rule"/],
    ["", /rules\.json:1:1: not valid JSON: unexpected end of file/],
  ])("report the line, column and problem: %s", (text, message) => {
    expect(() => compileRulesText(text, "rules.json")).toThrow(RulesFileError);
    expect(() => compileRulesText(text, "rules.json")).toThrow(message);
  });
});
