// The mouse in SGR mode (1006): presses arrive as ESC [ < button ; column ; row M (releases end in m), columns and
// rows counted from 1. Only the wheel and the left button mean something here.
/** Turns on button and wheel reports in SGR form; OFF turns both off again. */
export const MOUSE_ON = "\x1b[?1000h\x1b[?1006h";
export const MOUSE_OFF = "\x1b[?1006l\x1b[?1000l";

export type MouseEvent = { kind: "wheel"; dir: 1 | -1; x: number; y: number } | { kind: "click"; x: number; y: number };

/** A mouse report as Ink hands it over (its ESC taken off), or null when `input` is not one. */
export function parseMouse(input: string): MouseEvent | null | "ignored" {
  const m = /^\x1b?\[<(\d+);(\d+);(\d+)([Mm])$/.exec(input);
  if (!m) return null;
  const [button, x, y] = [Number(m[1]), Number(m[2]) - 1, Number(m[3]) - 1];
  const press = m[4] === "M";
  // Bit 6 marks the wheel (64 up, 65 down); shift / alt / ctrl add 4 / 8 / 16.
  if (press && (button & ~0b11100) === 64) return { kind: "wheel", dir: -1, x, y };
  if (press && (button & ~0b11100) === 65) return { kind: "wheel", dir: 1, x, y };
  if (press && (button & ~0b11100) === 0) return { kind: "click", x, y };
  return "ignored"; // a release, another button, a drag
}
