// The `backup-age` alert's question (src/recorder/alerts.ts): is the last good backup of this logs folder older than
// the limit? Read from backup.json, which every backup rewrites.
import { readBackupState } from "./backupState.ts";

/** What is wrong (no good backup within `limitMs`), or null. */
export async function backupTooOld(logsDir: string, limitMs: number, now = Date.now()): Promise<string | null> {
  const { last_ok: ok, last } = await readBackupState(logsDir);
  const failed = last && !last.ok ? `; the last one failed: ${last.error}` : "";
  if (!ok) return `no backup of this logs folder yet${failed}`;
  const age = now - Date.parse(ok.at);
  if (!(age > limitMs)) return null;
  return `the last good backup (${ok.id} to ${ok.dest}) is ${ageText(age / 1000)} old, the limit is ${ageText(limitMs / 1000)}${failed}`;
}

/** A duration in seconds as people say it: 45 s, 12 min, 5 h, 3 days. */
export function ageText(seconds: number): string {
  seconds = Math.round(seconds);
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

