// What import remembers per transcript file: which session holds it and the file's identity, in the logs folder's
// imports.json (owner-only, replaced atomically), changed by one import at a time (imports.lock). How far a file
// was read is not kept here: the session's last record says it (its source line and bytes), so a crash between
// writing records and saving this file can never make a record count twice.
import lockfile from "proper-lockfile";
import path from "node:path";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { ensureLogsDir } from "../storage/logsDir.ts";
import { readPrivateFile } from "../storage/privateFile.ts";
import type { FileKind } from "./detect.ts";

export interface ImportedSource {
  kind: FileKind;
  session: string;
  dev: number;
  ino: number;
}

export interface ImportState {
  sources: Record<string, ImportedSource>;
  save(): Promise<void>;
}

const STATE_FILE = "imports.json";
const LOCK_FILE = "imports.lock";

/**
 * The lock imports hold while they change the folder's imported sessions (compaction takes it too, to store one):
 * resolves with its release; rejects with code ELOCKED when still held after `retries`.
 */
export function lockImports(root: string, retries = 600): Promise<() => Promise<void>> {
  return lockfile.lock(root, {
    lockfilePath: path.join(root, LOCK_FILE),
    realpath: false,
    retries: { retries, minTimeout: 50, maxTimeout: 500 },
    // A killed import leaves its lock behind: the next one takes it over once it is this old (its holder renews
    // it every half of this, so a slow but living import keeps it).
    stale: 10_000,
  });
}

export async function withImportState<T>(logsDir: string, job: (state: ImportState) => Promise<T>): Promise<T> {
  const { root } = await ensureLogsDir(logsDir);
  const release = await lockImports(root);
  try {
    const file = path.join(root, STATE_FILE);
    const sources = await readSources(file);
    return await job({ sources, save: () => writeFileAtomic(file, `${JSON.stringify({ v: 1, sources }, null, 1)}\n`) });
  } finally {
    await release();
  }
}

async function readSources(file: string): Promise<Record<string, ImportedSource>> {
  let text: string;
  try {
    text = await readPrivateFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw err;
  }
  try {
    const value = JSON.parse(text) as { sources?: Record<string, ImportedSource> };
    return value.sources && typeof value.sources === "object" ? value.sources : {};
  } catch (err) {
    throw new Error(`${file} is damaged (${(err as Error).message}); move it away to import every file again into new sessions`);
  }
}
