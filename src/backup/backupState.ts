// What this logs folder knows of its backups (`backup.json`, owner-only, replaced atomically): per destination the
// last complete backup's manifest, the base of the next incremental one (an encrypted manifest at the destination
// cannot be read without its key), and the last backup's result, shown by `status`.
import path from "node:path";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { readPrivateFile } from "../storage/privateFile.ts";
import type { Manifest } from "./manifest.ts";

export interface BackupResult {
  dest: string;
  at: string;
  ok: boolean;
  id?: string;
  error?: string;
  files?: number;
  /** Bytes read from the logs folder and stored (new since the last backup), and how long it took. */
  new_bytes?: number;
  ms?: number;
}

export interface BackupState {
  last: BackupResult | null;
  /** The last backup that succeeded (the same as `last` unless the last one failed). */
  last_ok: BackupResult | null;
  /** The last complete backup's manifest, per destination. */
  bases: Record<string, Manifest>;
}

export const BACKUP_STATE_FILE = "backup.json";

const stateFile = (logsDir: string) => path.join(logsPaths(logsDir).root, BACKUP_STATE_FILE);

export async function readBackupState(logsDir: string): Promise<BackupState> {
  try {
    const value = JSON.parse(await readPrivateFile(stateFile(logsDir))) as Partial<BackupState>;
    return { last: value.last ?? null, last_ok: value.last_ok ?? null, bases: value.bases && typeof value.bases === "object" ? value.bases : {} };
  } catch {
    return { last: null, last_ok: null, bases: {} }; // none yet, or unreadable: the next backup is a full one
  }
}

export async function writeBackupState(logsDir: string, state: BackupState): Promise<void> {
  await writeFileAtomic(stateFile(logsDir), `${JSON.stringify(state)}\n`);
}
