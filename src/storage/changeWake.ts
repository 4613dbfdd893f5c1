// Waking a loop that sleeps until a file changes: the wake-up call (a ring that comes while the loop is busy reading
// what the last one announced is kept for its next wait, so none is ever lost), and a watch on one name in a folder.
import { watch, type FSWatcher } from "node:fs";
import path from "node:path";

export class Wakeup {
  #rung = false;
  #resolve: (() => void) | null = null;

  ring(): void {
    this.#rung = true;
    this.#resolve?.();
  }

  /** Resolves once something was rung since the last wait, or after `timeoutMs`. */
  async wait(timeoutMs = Infinity): Promise<void> {
    if (!this.#rung) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#resolve = resolve;
        if (Number.isFinite(timeoutMs)) timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
    }
    this.#resolve = null;
    this.#rung = false;
  }
}

/**
 * Calls `onChange` on each change to what is at path `file` (made, written, cut, renamed away or over): a watch on
 * its folder, told apart by name, so it outlives a replacement of the file. Raw notifications, none dropped or
 * throttled. Throws when the folder cannot be watched.
 */
export function watchEntry(file: string, onChange: () => void): FSWatcher {
  const name = path.basename(file);
  // No name is given on some platforms: any change may then be the file.
  return watch(path.dirname(file), (_event, changed) => (changed === null || changed === name) && onChange());
}
