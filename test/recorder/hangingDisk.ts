// A disk that stops answering, for the recorder's writer: session files opened through `open` write normally until
// `hang()`, after which every write waits for ever (as on a hung network file system).
import fs from "node:fs/promises";
import type { OpenSessionFile } from "../../src/storage/nextSession.ts";

export function hangingDisk(): { open: OpenSessionFile; hang(): void } {
  let hung = false;
  return {
    open: async (file, flags) => {
      const fh = await fs.open(file, flags, 0o600);
      const writev = fh.writev.bind(fh);
      return Object.assign(fh, { writev: (...args: Parameters<typeof writev>) => (hung ? new Promise<never>(() => {}) : writev(...args)) });
    },
    hang: () => void (hung = true),
  };
}
