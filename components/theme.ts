// Colours, or none at all when NO_COLOR is set (https://no-color.org); selection uses inverse video either way.
export const colorEnabled = !process.env.NO_COLOR;

/** A colour prop value, or undefined (the terminal's default) without colour. */
export function color(name: string): string | undefined {
  return colorEnabled ? name : undefined;
}

export const TIER_COLORS: Record<number, string> = { 1: "red", 2: "yellow", 3: "gray" };
