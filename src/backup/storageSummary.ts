// What `status` says of a logs folder's storage: how well its sealed sessions are compressed, and how old its last
// backup is and how the last one went, and how the last compaction went (most run unseen, after a seal). Read from the
// files (compressed sessions' indexes, backup.json, compact.json): no recorder needed.
// An encrypted session is counted by its name; what it holds is measured only where a reading key opens it.
import fs from "node:fs/promises";
import path from "node:path";
import { compactionText, readLastCompaction, type CompactionOutcome } from "../compact/compactState.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { describeSealedFile, isCompressedSessionFile, isEncryptedSessionFile, sealedSessionFiles } from "../storage/sessionSource.ts";
import { ageText } from "./backupAge.ts";
import { readBackupState, type BackupResult } from "./backupState.ts";

export interface StorageSummary {
  sealed_sessions: number;
  compressed_sessions: number;
  /** Stored as age files (encryption at rest); their sizes count only where a reading key opens them. */
  encrypted_sessions: number;
  /** Bytes of the sealed sessions, and what they take on disk. */
  sealed_bytes: number;
  stored_bytes: number;
  /** sealed_bytes / stored_bytes (1 when nothing is compressed). */
  compression_ratio: number;
  backup: { last: BackupResult | null; last_ok: BackupResult | null; age_s: number | null };
  /** The last compaction's outcome (`ok` false: its error, or the sessions it could not store). */
  compaction: CompactionOutcome | null;
}

export async function storageSummary(logsDir: string, now = Date.now()): Promise<StorageSummary> {
  const dir = logsPaths(logsDir).sessions;
  const files = sealedSessionFiles(await fs.readdir(dir).catch(() => [] as string[]));
  let sealed = 0;
  let stored = 0;
  let compressed = 0;
  const encrypted = files.filter(isEncryptedSessionFile).length;
  for (const name of files) {
    const file = path.join(dir, name);
    const [content, st] = await Promise.all([describeSealedFile(file).catch(() => null), fs.stat(file).catch(() => null)]);
    if (!content || !st) continue; // gone meanwhile, or damaged: compact and the readers report it
    sealed += content.size;
    stored += st.size;
    if (isCompressedSessionFile(name)) compressed++;
  }
  const [state, compaction] = await Promise.all([readBackupState(logsDir), readLastCompaction(logsDir)]);
  const lastOkAt = state.last_ok ? Date.parse(state.last_ok.at) : NaN;
  return {
    sealed_sessions: files.length,
    compressed_sessions: compressed,
    encrypted_sessions: encrypted,
    sealed_bytes: sealed,
    stored_bytes: stored,
    compression_ratio: stored > 0 ? Math.round((sealed / stored) * 100) / 100 : 1,
    backup: { last: state.last, last_ok: state.last_ok, age_s: Number.isNaN(lastOkAt) ? null : Math.round((now - lastOkAt) / 1000) },
    compaction,
  };
}

/** The summary as status lines: sealed sessions, backup, compaction. */
export function storageLines(s: StorageSummary): string[] {
  const mib = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MiB`;
  const b = s.backup;
  const age = b.age_s === null ? "never" : `${ageText(b.age_s)} ago (${b.last_ok!.id}, ${b.last_ok!.dest})`;
  const failed = b.last && !b.last.ok ? `; the last one failed at ${b.last.at}: ${b.last.error}` : "";
  return [
    `sealed:   ${s.sealed_sessions} sessions, ${s.compressed_sessions} compressed${s.encrypted_sessions ? `, ${s.encrypted_sessions} encrypted` : ""}: ${mib(s.sealed_bytes)} in ${mib(s.stored_bytes)} (${s.compression_ratio}×)`,
    `backup:   last ok ${age}${failed}`,
    compactionText(s.compaction),
  ];
}
