// Ink's screen composition, row by row and remembered across frames. Ink's own Output.get() builds a fresh grid of
// one object per cell every frame, splits every line it writes into styled characters and joins each row back
// into a string: at 200×60 that is most of a frame's cost, again for rows that did not change. Here each row is
// described by what is written on it (where, which text), and a row described the same way as in an earlier frame
// is the same string: a frame computes only its new rows (a live tail that scrolls by one line computes one). A new
// row is made faster too: a line of one-column characters and colours (what rows are made of) is split into its
// characters directly, where Ink segments graphemes, and neighbouring characters of one style share one style
// list, so the style change Ink computes between every two characters is computed only where the style changes
// (between equal lists it is none). Otherwise what a row is made of, and how, is Ink's code; the build installs
// this as Output.prototype.get in place of Ink's (scripts/build.mjs), and test/tui/inkOutputRows.test.ts checks
// both give the same screens.
import { isNarrowText } from "../src/text/narrowText.ts";

interface AnsiCode {
  code: string;
  endCode: string;
}

interface StyledChar {
  type: string;
  value: string;
  fullWidth: boolean;
  styles: AnsiCode[];
}

type Transformer = (line: string, index: number) => string;
type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Operation = { type: "write"; x: number; y: number; text: string; transformers: Transformer[] } | { type: "clip"; clip: Clip } | { type: "unclip" };

/** What Ink's output.js has in scope, handed over by the build. */
export interface OutputDeps {
  tokenize(line: string): unknown[];
  styledCharsFromTokens(tokens: unknown[]): StyledChar[];
  reduceAnsiCodesIncremental(codes: AnsiCode[], newCodes: unknown[]): AnsiCode[];
  diffAnsiCodes(from: AnsiCode[], to: AnsiCode[]): AnsiCode[];
  ansiCodesToString(codes: AnsiCode[]): string;
  stringWidth(text: string): number;
  sliceAnsi(text: string, from: number, to: number): string;
}

/** The part of Ink's Output that get() reads. */
interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
}

/** Entries kept per memo before it starts over: several screens' worth of rows and lines. */
const MEMO_LIMIT = 4000;

/** A memo by string key that starts over when full, so a long session's changing rows never pile up; `from` is
 * what the value is computed from when the key alone does not say it readily. */
function memo<T, From = string>(compute: (from: From) => T): (key: string, from?: From) => T {
  let entries = new Map<string, T>();
  return (key, from = key as From) => {
    let value = entries.get(key);
    if (value === undefined) {
      if (entries.size >= MEMO_LIMIT) entries = new Map();
      entries.set(key, (value = compute(from)));
    }
    return value;
  };
}

type RowWrites = Array<number | string>;

const NO_STYLES: AnsiCode[] = [];

const sameStyles = (a: AnsiCode[], b: AnsiCode[]) => a.length === b.length && a.every((c, i) => c.code === b[i].code && c.endCode === b[i].endCode);

/** Each character's styles as one shared list per run of equal styles. */
function shareStyles(chars: StyledChar[]): StyledChar[] {
  let previous = NO_STYLES;
  for (const c of chars) {
    if (sameStyles(c.styles, previous)) c.styles = previous;
    previous = c.styles;
  }
  return chars;
}

/** Colour and attribute sequences (SGR), the only escapes Ink's rows are styled with. */
const SGR = /\u001b\[[0-9;]*m/g;

export function rowCachedGet(deps: OutputDeps): (this: InkOutput) => { output: string; height: number } {
  const stylesAfter = memo(({ codes, sgr }: { codes: AnsiCode[]; sgr: string }) => deps.reduceAnsiCodesIncremental(codes, deps.tokenize(sgr)));
  /** Ink's styled characters of a line of narrow text and SGR sequences, read directly; undefined for any other. */
  const narrowStyledChars = (line: string): StyledChar[] | undefined => {
    const chars: StyledChar[] = [];
    let styles = NO_STYLES;
    let at = 0;
    const text = (end: number) => {
      const piece = line.slice(at, end);
      if (!isNarrowText(piece)) return false;
      for (const value of piece) chars.push({ type: "char", value, fullWidth: false, styles });
      return true;
    };
    for (const m of line.matchAll(SGR)) {
      if (!text(m.index)) return undefined;
      const after = stylesAfter(`${styles.map((c) => c.code).join("")}${m[0]}`, { codes: styles, sgr: m[0] });
      styles = sameStyles(after, styles) ? styles : after.length === 0 ? NO_STYLES : after;
      at = m.index + m[0].length;
    }
    return text(line.length) ? chars : undefined;
  };
  const styledChars = memo((line) => narrowStyledChars(line) ?? shareStyles(deps.styledCharsFromTokens(deps.tokenize(line))));
  const width = memo((text) => deps.stringWidth(text));
  const widestLine = memo((text) => text.split("\n").reduce((widest, line) => Math.max(widest, width(line)), 0));
  const BLANK: StyledChar = { type: "char", value: " ", fullWidth: false, styles: NO_STYLES };
  /** Ink's styledCharsToString, with the style change between two characters of one style list taken as none. */
  const change = (from: AnsiCode[], to: AnsiCode[]) => (from === to ? "" : deps.ansiCodesToString(deps.diffAnsiCodes(from, to)));
  const rowText = (chars: StyledChar[]): string => {
    let out = "";
    let previous = NO_STYLES;
    for (const c of chars) {
      out += change(previous, c.styles) + c.value;
      previous = c.styles;
    }
    return out + change(previous, NO_STYLES);
  };

  /** One row from its writes (x, line, x, line…), exactly as Ink fills and joins its grid's row. */
  const composeRow = ({ rowWidth, writes }: { rowWidth: number; writes: RowWrites }): string => {
    const cells: StyledChar[] = new Array<StyledChar>(rowWidth).fill(BLANK);
    for (let w = 0; w < writes.length; w += 2) {
      let offsetX = writes[w] as number;
      for (const character of styledChars(writes[w + 1] as string)) {
        cells[offsetX] = character;
        const characterWidth = Math.max(1, width(character.value));
        for (let i = 1; i < characterWidth; i++) cells[offsetX + i] = { type: "char", value: "", fullWidth: false, styles: character.styles };
        offsetX += characterWidth;
      }
    }
    return rowText(cells.filter((c) => c !== undefined)).trimEnd();
  };
  const rowString = memo(composeRow);

  return function get(this: InkOutput) {
    const rows: RowWrites[] = Array.from({ length: this.height }, () => []);
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === "clip") clips.push(operation.clip);
      if (operation.type === "unclip") clips.pop();
      if (operation.type !== "write") continue;
      // From here to the row's writes: Ink's clipping, line by line, as in its Output.get().
      const { text, transformers } = operation;
      let { x, y } = operation;
      let lines = text.split("\n");
      const clip = clips.at(-1);
      if (clip) {
        const clipHorizontally = typeof clip.x1 === "number" && typeof clip.x2 === "number";
        const clipVertically = typeof clip.y1 === "number" && typeof clip.y2 === "number";
        if (clipHorizontally && (x + widestLine(text) < clip.x1! || x > clip.x2!)) continue;
        if (clipVertically && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
        if (clipHorizontally) {
          lines = lines.map((line) => {
            const from = x < clip.x1! ? clip.x1! - x : 0;
            const w = width(line);
            const to = x + w > clip.x2! ? clip.x2! - x : w;
            return deps.sliceAnsi(line, from, to);
          });
          if (x < clip.x1!) x = clip.x1!;
        }
        if (clipVertically) {
          const from = y < clip.y1! ? clip.y1! - y : 0;
          const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
          lines = lines.slice(from, to);
          if (y < clip.y1!) y = clip.y1!;
        }
      }
      let offsetY = 0;
      for (let [index, line] of lines.entries()) {
        const row = rows[y + offsetY];
        if (!row) continue; // as in Ink: a line off the grid is dropped, and so is every line after it
        for (const transformer of transformers) line = transformer(line, index);
        row.push(x, line);
        offsetY++;
      }
    }
    const rowWidth = this.width;
    // The key is unambiguous: each line comes after its position and its length.
    const output = rows.map((writes) => rowString(`${rowWidth};${writes.map((v, i) => (i % 2 === 0 ? `${v}:` : `${(v as string).length}:${v}`)).join("")}`, { rowWidth, writes }));
    return { output: output.join("\n"), height: output.length };
  };
}
