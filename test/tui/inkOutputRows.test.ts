// The row-remembering screen composition the build puts in Ink's place gives exactly Ink's screens — styled text,
// wide characters, clipping, lines off the grid, transformers — frame after frame, and composes only rows it has
// not composed before.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import Output from "../../node_modules/ink/build/output.js";
import stringWidth from "../../node_modules/ink/node_modules/string-width/index.js";
import sliceAnsi from "../../node_modules/slice-ansi/index.js";
import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, styledCharsFromTokens, tokenize } from "../../node_modules/@alcalzone/ansi-tokenize/build/index.js";
import { rowCachedGet, type OutputDeps } from "../../components/inkOutputRows.ts";

type Transformer = (line: string, index: number) => string;
type Op =
  | { type: "write"; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: "clip"; clip: { x1?: number; x2?: number; y1?: number; y2?: number } }
  | { type: "unclip" };

const deps: OutputDeps = { tokenize, styledCharsFromTokens, reduceAnsiCodesIncremental, ansiCodesToString, diffAnsiCodes, stringWidth, sliceAnsi } as unknown as OutputDeps;

function frame(width: number, height: number, ops: Op[], get?: ReturnType<typeof rowCachedGet>) {
  const out = new Output({ width, height });
  for (const op of ops) {
    if (op.type === "write") out.write(op.x, op.y, op.text, { transformers: op.transformers });
    else if (op.type === "clip") out.clip(op.clip as never);
    else out.unclip();
  }
  return get ? get.call(out as never) : out.get();
}

const piece = fc.oneof(
  fc.constantFrom("a", "xyz", " ", "…", "→", "│", "日本", "👋", "e\u0301", "○", "\t"),
  fc.string({ maxLength: 6 }),
  fc.constantFrom("\u001b[31mred\u001b[39m", "\u001b[1m\u001b[7mbold inverse\u001b[27m\u001b[22m", "\u001b[4;33mu\u001b[0m", "\u001b]8;;https://x\u0007link\u001b]8;;\u0007", "\u001b[38;5;202mx\u001b[39m", "\u001b[mplain", "\u001b[2Jnot sgr"),
);
const text = fc.array(fc.array(piece, { maxLength: 5 }).map((p) => p.join("")), { minLength: 1, maxLength: 4 }).map((lines) => lines.join("\n"));
const transformers = fc.constantFrom<Transformer[]>([], [(l) => l.toUpperCase()], [(l, i) => `${i}>${l}`], [(l) => `\u001b[2m${l}\u001b[22m`]);
const op = (width: number, height: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ type: fc.constant("write" as const), x: fc.integer({ min: -3, max: width + 3 }), y: fc.integer({ min: -2, max: height + 2 }), text, transformers }) },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant("clip" as const),
        clip: fc.record({ x1: fc.option(fc.integer({ min: 0, max: width }), { nil: undefined }), x2: fc.option(fc.integer({ min: 0, max: width }), { nil: undefined }), y1: fc.option(fc.integer({ min: 0, max: height }), { nil: undefined }), y2: fc.option(fc.integer({ min: 0, max: height }), { nil: undefined }) }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ type: "unclip" as const }) },
  );
const screen = fc.record({ width: fc.integer({ min: 1, max: 40 }), height: fc.integer({ min: 1, max: 8 }) }).chain(({ width, height }) =>
  fc.record({ width: fc.constant(width), height: fc.constant(height), ops: fc.array(op(width, height), { maxLength: 12 }) }),
);

describe("Ink's screen composition, remembered row by row", () => {
  it("gives Ink's own screens, frame after frame (what earlier frames left remembered included)", () => {
    const get = rowCachedGet(deps);
    fc.assert(
      fc.property(fc.array(screen, { minLength: 1, maxLength: 3 }), (frames) => {
        for (const { width, height, ops } of [...frames, ...frames]) expect(frame(width, height, ops, get)).toEqual(frame(width, height, ops));
      }),
      { numRuns: 400 },
    );
  });

  it("composes only the rows no earlier frame had: a tail that scrolls by a line composes one", () => {
    // Each row composed writes its style changes (into cyan and out of it): counted, they count the rows composed.
    let styleChanges = 0;
    const get = rowCachedGet({ ...deps, ansiCodesToString: (codes) => (styleChanges++, deps.ansiCodesToString(codes)) });
    const rows = (first: number) => Array.from({ length: 20 }, (_, i): Op => ({ type: "write", x: 0, y: i, text: `\u001b[36mrow ${first + i}\u001b[39m text`, transformers: [] }));
    frame(80, 20, rows(0), get);
    const perRow = styleChanges / 20;
    expect(perRow).toBeGreaterThan(0);
    frame(80, 20, rows(0), get);
    expect(styleChanges).toBe(20 * perRow);
    frame(80, 20, rows(1), get);
    expect(styleChanges).toBe(21 * perRow);
  });
});
