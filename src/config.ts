// Defaults, flags and environment of docs/SPEC.md's defaults table, resolved in one place.
import path from "node:path";

export const DEFAULT_LOGS_DIR = "conversation_logs";
export const DEFAULT_BROKER = "tcp://127.0.0.1:5555";
/** Where publishers connect to the reference broker (`shearwater broker`). */
export const DEFAULT_PUBLISH_ENDPOINT = "tcp://127.0.0.1:5556";
export const DEFAULT_CHECKPOINT_EVERY_MS = 5 * 60_000;
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/**
 * The largest --max-message-bytes: a message up to it must fit in one line, as base64 (4/3 of its size) at worst,
 * and a JavaScript string holds at most 2^29 - 24 characters.
 */
export const MAX_MESSAGE_BYTES_LIMIT = 256 * 1024 * 1024;

export class UsageError extends Error {}

export function resolveLogsDir(flag?: string, env = process.env): string {
  return path.resolve(flag ?? env.SHEARWATER_LOGS ?? DEFAULT_LOGS_DIR);
}

export function resolveBrokers(flags: string[] | undefined, env = process.env): string[] {
  if (flags && flags.length > 0) return flags.map(checkEndpoint);
  const fromEnv = env.SHEARWATER_BROKER?.split(",").map((s) => s.trim()).filter(Boolean);
  return (fromEnv && fromEnv.length > 0 ? fromEnv : [DEFAULT_BROKER]).map(checkEndpoint);
}

function checkEndpoint(ep: string): string {
  if (!/^(tcp|ipc|inproc|ws|wss|pgm|epgm|udp):\/\/.+/.test(ep)) {
    throw new UsageError(`bad broker endpoint "${ep}" (expected e.g. tcp://127.0.0.1:5555)`);
  }
  return ep;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "5m", "30s", "2h", "1d", "250ms", "0" (off) → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError(`bad duration "${text}" (expected e.g. 30s, 5m, 2h, 0 for off)`);
  const n = Number(m[1]);
  if (n !== 0 && !m[2]) throw new UsageError(`duration "${text}" needs a unit: ms, s, m, h or d`);
  return n * UNIT_MS[m[2] ?? "ms"];
}

/** "64MiB", "1kb", "1048576" → bytes. */
export function parseBytes(text: string): number {
  const m = /^(\d+)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`bad size "${text}" (expected e.g. 1048576, 512KiB, 64MiB)`);
  const unit = (m[2] ?? "b").toLowerCase();
  const mult = unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 1024 ** 2 : unit.startsWith("g") ? 1024 ** 3 : 1;
  const n = Number(m[1]) * mult;
  if (n <= 0) throw new UsageError(`size "${text}" must be greater than zero`);
  return n;
}
