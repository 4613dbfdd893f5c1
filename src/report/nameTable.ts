// Agent names as small numbers, so per-chain and per-request figures fit in typed arrays. Bounded: past MAX_NAMES
// distinct names, a new one has no number (NO_NAME) and is counted without being told apart.

export const NO_NAME = 0xffff;
const MAX_NAMES = NO_NAME;

export class NameTable {
  readonly #ids = new Map<string, number>();
  readonly #names: string[] = [];

  id(name: string): number {
    const known = this.#ids.get(name);
    if (known !== undefined) return known;
    if (this.#names.length >= MAX_NAMES) return NO_NAME;
    this.#ids.set(name, this.#names.length);
    return this.#names.push(name) - 1;
  }

  name(id: number): string {
    return this.#names[id];
  }
}
