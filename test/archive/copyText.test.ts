// A message's tsvector as COPY text: positions (at most 255 a word, none past 16383), filter tokens at weight D,
// and a word that is also a filter token carrying both; quotes and backslashes of filter values escaped.
import { describe, expect, it } from "vitest";
import { copyField, tsvectorLiteral } from "../../src/archive/postgres/copyText.ts";

describe("tsvectorLiteral", () => {
  it("writes each word once with its positions at weight A, then the filter tokens", () => {
    expect(tsvectorLiteral(["deploy", "failed", "deploy"], ["fbob", "p:ops"])).toBe("'deploy':1A,3A 'failed':2A 'fbob' 'p:ops'");
  });

  it("gives a word that is also a filter token a weight-D position, once", () => {
    expect(tsvectorLiteral(["fbob", "x", "fbob"], ["fbob", "fbob"])).toBe("'fbob':1A,3A,16383D 'x':2A");
  });

  it("keeps at most 255 positions a word and none past 16383, each once", () => {
    const many = tsvectorLiteral(Array(300).fill("w"), []);
    expect(many.split(",")).toHaveLength(255);
    const long = [...Array(16_390).keys()].map((i) => (i === 16_381 || i >= 16_385 ? "late" : `w${i}`));
    const late = tsvectorLiteral(long, []).split(" ").find((p) => p.startsWith("'late'"));
    expect(late).toBe("'late':16382A,16383A");
  });

  it("escapes a filter value's quotes and backslashes for tsvector, then for COPY", () => {
    const tsv = tsvectorLiteral([], ["g:it's\\x"]);
    expect(tsv).toBe("'g:it''s\\\\x'");
    expect(copyField(tsv)).toBe("'g:it''s\\\\\\\\x'");
  });
});
