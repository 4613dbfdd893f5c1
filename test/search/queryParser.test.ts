import { describe, expect, it } from "vitest";
import { parseQuery, pointAt, QueryError } from "../../src/search/queryParser.ts";

const NOW = Date.parse("2026-11-24T12:00:00Z");

function errorOf(input: string): QueryError {
  try {
    parseQuery(input, NOW);
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  throw new Error(`"${input}" parsed without error`);
}

describe("parseQuery", () => {
  it("splits words, folds case and accents, and marks only a word still being typed as a prefix", () => {
    expect(parseQuery("Deploy Café", NOW).words).toEqual([
      { term: "deploy", prefix: false },
      { term: "cafe", prefix: true },
    ]);
    expect(parseQuery("deploy cafe ", NOW).words.every((w) => !w.prefix)).toBe(true);
  });

  it("reads phrases, filters and quoted filter values", () => {
    const q = parseQuery('"merge  conflict" from:Claude to:"code reviewer" type:Request tier:1 tag:#Urgent topic:agents.', NOW);
    expect(q.phrases).toEqual([["merge", "conflict"]]);
    expect(q.words).toEqual([]);
    expect(q.filters).toMatchObject({
      from: ["claude"],
      to: ["code reviewer"],
      type: ["request"],
      tier: [1],
      tag: ["urgent"],
      topic: ["agents."],
    });
  });

  it("reads times as ISO or relative ages", () => {
    const q = parseQuery("since:2h until:2026-11-24T11:30:00Z", NOW);
    expect(q.filters.since).toBe(NOW - 2 * 3_600_000);
    expect(q.filters.until).toBe(Date.parse("2026-11-24T11:30:00Z"));
    expect(parseQuery("since:10m", NOW).filters.since).toBe(NOW - 600_000);
    expect(parseQuery("since:3d", NOW).filters.since).toBe(NOW - 3 * 86_400_000);
    expect(parseQuery("since:2026-11-20", NOW).filters.since).toBe(Date.parse("2026-11-20"));
  });

  it("treats URLs and times of day as words, not fields", () => {
    expect(parseQuery("http://example.com 12:30 ", NOW).words.map((w) => w.term)).toEqual(["http", "example", "com", "12", "30"]);
  });

  it.each([
    ["unknown field", "deploy colour:red", /unknown field "colour:" at column 8/, 7, 7],
    ["unclosed quote", 'from:bob "merge conf', /unclosed quote at column 10/, 9, 11],
    ["unclosed quoted value", 'to:"code', /unclosed quote at column 4/, 3, 5],
    ["bad time", "since:yesterday", /bad time "yesterday" for since:/, 0, 15],
    ["bad relative age", "until:5y", /bad time "5y"/, 0, 8],
    ["empty filter value", "deploy from: x", /"from:" needs a value/, 7, 5],
    ["bad tier", "tier:7", /bad tier "7": tiers are 1, 2 or 3/, 0, 6],
    ["empty phrase", 'a "  "', /empty phrase at column 3/, 2, 4],
    ["since after until", "since:1h until:2h", /since: is later than until:/, 0, 17],
  ])("%s gets a clear message pointing at it", (_name, input, message, position, length) => {
    const err = errorOf(input);
    expect(err.message).toMatch(message);
    expect([err.position, err.length]).toEqual([position, length]);
  });

  it("draws a caret line under the problem", () => {
    const input = "deploy colour:red";
    expect(pointAt(input, errorOf(input))).toBe("  deploy colour:red\n         ^^^^^^^");
  });
});
