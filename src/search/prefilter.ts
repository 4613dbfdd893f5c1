// A test on a line's raw text that lets the scan skip parsing most lines. For every query word it looks for a
// piece of the word, takes the word of the raw text around each place found and asks the matcher about it (each
// distinct word is judged once). Filter values must appear as they are. It never rejects a line that matches,
// except for words the JSON hides (\u escapes), which are rare.
import { maxTypos } from "./fuzzy.ts";
import type { Matcher } from "./matcher.ts";
import { foldTerm } from "./terms.ts";

export interface Locator {
  /** Byte strings to look for, in the letter cases a word is usually written in. */
  needles: Buffer[];
  /** When set, a place found counts only if the word of the text around it passes. */
  verify?: (term: string) => boolean;
}

/**
 * Where in a block of lines a match may be: places of a piece of the query's first word (else of its first
 * phrase, else of a filter value). The scan looks only at the lines around them. Null when every line must be
 * looked at. Letter case is covered as lower, Capitalized and UPPER, the way words are written, and every way for a
 * short word.
 */
export function lineLocator(matcher: Matcher): Locator | null {
  const q = matcher.query;
  if (q.words.length > 0) {
    const { term } = q.words[0];
    const typos = maxTypos(term.length);
    const found = pieces(term, typos);
    if (found.length === 0) return null;
    // A word short enough to allow no typo is its only piece: it is looked for in every letter case (iOS). Of a
    // longer word's pieces one is usually written plainly: only a piece that begins the word can be Capitalized,
    // the others are looked for in lower and UPPER case.
    const needles = typos === 0 ? everyCase(term) : found.flatMap((p) => (p.atStart ? casings([p.text]) : inner(p.text)));
    return { needles, verify: (t) => (matcher.wordBits(t) & 1) !== 0 };
  }
  if (q.phrases.length > 0) {
    const longest = q.phrases[0].reduce((a, b) => (b.length > a.length ? b : a));
    return { needles: casings([longest]), verify: (t) => t === longest };
  }
  const f = q.filters;
  const values = [f.from, f.to, f.type, f.tag, f.topic, f.tool, f.model, f.role, f.has, f.source].find((v) => v.length > 0);
  return values ? { needles: casings(values) } : null;
}

/** Every way of writing a short word's letters in upper and lower case: at most 2³. */
function everyCase(word: string): Buffer[] {
  let forms = [""];
  for (const c of word) forms = [...new Set(forms.flatMap((f) => [f + c.toLowerCase(), f + c.toUpperCase()]))];
  return forms.map((f) => Buffer.from(f));
}

function inner(piece: string): Buffer[] {
  return [...new Set([piece.toLowerCase(), piece.toUpperCase()])].map((x) => Buffer.from(x));
}

function casings(words: string[]): Buffer[] {
  const set = new Set<string>();
  for (const w of words) {
    const lower = w.toLowerCase();
    set.add(lower).add(lower[0].toUpperCase() + lower.slice(1)).add(lower.toUpperCase());
  }
  return [...set].map((s) => Buffer.from(s));
}

export function linePrefilter(matcher: Matcher): (line: string) => boolean {
  const q = matcher.query;
  const tests: Array<(line: string) => boolean> = [];
  q.words.forEach((w, i) => {
    const locate = regexOf(pieces(w.term, maxTypos(w.term.length)).map((p) => p.text), "gi");
    if (locate) tests.push((line) => someWord(line, locate, (t) => (matcher.wordBits(t) & (1 << i)) !== 0));
  });
  for (const p of q.phrases) {
    const longest = p.reduce((a, b) => (b.length > a.length ? b : a));
    const locate = regexOf([longest], "gi")!;
    tests.push((line) => someWord(line, locate, (t) => t === longest));
  }
  const f = q.filters;
  for (const values of [f.from, f.to, f.type, f.tag, f.topic, f.tool, f.model, f.role, f.has, f.source]) {
    const re = values.length > 0 ? regexOf(values, "i") : null;
    if (re) tests.push((line) => re.test(line));
  }
  return (line) => tests.every((t) => t(line));
}

/**
 * Pieces of a word with k typos allowed, at least one of which any k typos leave intact: the word cut into k+1
 * pieces (a typo changes at most one piece), plus, for each cut, the two pieces around it joined with the letters
 * at the cut swapped (the one typo that changes two pieces). Empty when a piece would be empty.
 */
function pieces(word: string, k: number): Array<{ text: string; atStart: boolean }> {
  if (k === 0) return [{ text: word, atStart: true }];
  const n = k + 1;
  const cuts = Array.from({ length: n + 1 }, (_, i) => Math.round((i * word.length) / n));
  const out: Array<{ text: string; atStart: boolean }> = [];
  for (let i = 0; i < n; i++) {
    if (cuts[i + 1] <= cuts[i]) return [];
    out.push({ text: word.slice(cuts[i], cuts[i + 1]), atStart: i === 0 });
  }
  for (let i = 1; i < n; i++) {
    const c = cuts[i];
    const text = word.slice(cuts[i - 1], c - 1) + word[c] + word[c - 1] + word.slice(c + 1, cuts[i + 1]);
    out.push({ text, atStart: i === 1 });
  }
  return out;
}

export function regexOf(words: string[], flags: string): RegExp | null {
  if (words.length === 0 || words.some((w) => w === "")) return null;
  return new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), flags);
}

/** Whether one of the words of the raw text that contain a located piece passes `test`. */
function someWord(line: string, locate: RegExp, test: (term: string) => boolean): boolean {
  locate.lastIndex = 0;
  for (let m = locate.exec(line); m; m = locate.exec(line)) {
    let start = m.index;
    let end = m.index + m[0].length;
    while (start > 0 && isWordChar(line.charCodeAt(start - 1))) start--;
    while (end < line.length && isWordChar(line.charCodeAt(end))) end++;
    // In JSON, "\nword" is a backslash, the letter of the escape, then the word.
    if (start > 0 && line.charCodeAt(start - 1) === 92) start += line[start] === "u" ? 5 : 1;
    if (start < end && test(foldTerm(line.slice(start, end)))) return true;
    locate.lastIndex = Math.max(end, m.index + 1);
  }
  return false;
}

/** ASCII letters and digits, and anything beyond ASCII (the matcher decides about those). */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128;
}
