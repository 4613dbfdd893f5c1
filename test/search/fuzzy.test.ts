import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { editDistance, ftsExpression, maxTypos, Vocabulary } from "../../src/search/fuzzy.ts";
import { IndexTerms } from "../../src/search/indexTerms.ts";
import { IndexWriter, openIndexForReading } from "../../src/search/indexStore.ts";

const folders: string[] = [];
afterAll(() => folders.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The vocabulary as a search reads it: these terms written to a real index, read back from its file. */
function vocabularyOf(terms: string[]): Vocabulary {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shearwater-vocab-"));
  folders.push(dir);
  const writer = IndexWriter.open(dir);
  writer.addTerms(terms);
  writer.close();
  return new Vocabulary(new IndexTerms(openIndexForReading(dir)!));
}

describe("editDistance", () => {
  it.each([
    ["database", "database", 0],
    ["databse", "database", 1],
    ["dtaabase", "database", 1],
    ["databaes", "database", 1],
    ["dattabse", "database", 2],
    ["kitten", "sitting", 3],
  ])("%s → %s is %i", (a, b, d) => {
    expect(editDistance(a, b, 5)).toBe(d);
  });

  it("gives up past the bound", () => {
    expect(editDistance("kitten", "sitting", 1)).toBe(2);
    expect(editDistance("a", "abcdef", 2)).toBe(3);
  });
});

describe("Vocabulary", () => {
  const vocab = vocabularyOf(["database", "databases", "date", "data", "migration", "migrate", "timeout", "merge", "merger", "emerge"]);

  it("allows no typo in short words, one in medium, two in long ones", () => {
    expect([3, 4, 7, 8].map(maxTypos)).toEqual([0, 1, 1, 2]);
  });

  it("finds the terms within the allowed typos, closest first, never the word itself", () => {
    expect(vocab.match({ term: "databse", prefix: false }).typos).toEqual(["database"]);
    expect(vocab.match({ term: "migraiton", prefix: false }).typos).toEqual(["migration"]);
    expect(vocab.match({ term: "merge", prefix: false }).typos.sort()).toEqual(["emerge", "merger"]);
    expect(vocab.match({ term: "dat", prefix: false })).toEqual({ exact: ["dat"], typos: [] });
  });

  it("searches a word being typed as the terms that begin with it, typos included", () => {
    expect(vocab.match({ term: "dat", prefix: true })).toEqual({ exact: ["data", "database", "databases", "date"], typos: [] });
    const m = vocab.match({ term: "migar", prefix: true });
    expect(m.exact).toEqual(["migar*"]); // nothing begins so: left to the index
    expect(m.typos.sort()).toEqual(["migrate", "migration"]);
    expect(ftsExpression([m], [], true)).toBe('("migar"* OR "migrate" OR "migration")');
  });

  it("reads the terms beginning with a word from the index, in order, and no others", () => {
    const v = vocabularyOf(["dat", "data", "datum", "dau", "da", "daté"]);
    expect(v.match({ term: "dat", prefix: true }).exact).toEqual(["dat", "data", "datum", "daté"]);
    expect(v.match({ term: "dat\u{10FFFF}", prefix: true }).exact).toEqual(["dat\u{10FFFF}*"]);
  });

  it("falls back to a prefix query when too many terms begin with the word", () => {
    const many = vocabularyOf(Array.from({ length: 100 }, (_, i) => `item${i}`));
    expect(many.match({ term: "ite", prefix: true }).exact).toEqual(["ite*"]);
  });

  it("builds the FTS5 expression: alternatives OR-ed, words and phrases AND-ed", () => {
    const words = [vocab.match({ term: "databse", prefix: false }), vocab.match({ term: "to", prefix: false })];
    expect(ftsExpression(words, [["merge", "conflict"]], true)).toBe('("databse" OR "database") AND "to" AND "merge conflict"');
    expect(ftsExpression(words, [], false)).toBe('"databse" AND "to"');
  });
});
