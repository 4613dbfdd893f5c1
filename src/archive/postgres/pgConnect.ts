// A connection to the archive's PostgreSQL server from a postgres:// URL, with `sslmode` meaning what it means to
// libpq (and so to psql): disable, allow, prefer (the default), require, verify-ca, verify-full. Failures become
// ArchiveErrors that say what went wrong in words, and never quote a password.
import pg from "pg";
import { parse } from "pg-connection-string";
import { ArchiveError, redact, secretsOf } from "../archiveUrl.ts";

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
type SslMode = (typeof SSL_MODES)[number];

/** How long a connection attempt may take before it is reported as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

export async function connect(url: string): Promise<pg.Client> {
  const mode = sslModeOf(url);
  // `allow` tries without TLS first, `prefer` with it first; each falls back only when the server refused that way.
  const attempts: boolean[] = mode === "allow" ? [false, true] : mode === "prefer" ? [true, false] : [mode !== "disable"];
  let last: unknown;
  for (const tls of attempts) {
    try {
      return await connectOnce(url, tls);
    } catch (err) {
      last = err;
      if (!isTlsRefusal(err)) break;
    }
  }
  throw describe(last, url);
}

function sslModeOf(url: string): SslMode {
  const given = new URL(url).searchParams.get("sslmode");
  if (given === null) return "prefer";
  if (!(SSL_MODES as readonly string[]).includes(given)) {
    throw new ArchiveError(`bad sslmode "${given}" in the archive URL (use ${SSL_MODES.join(", ")})`, url);
  }
  return given as SslMode;
}

async function connectOnce(url: string, tls: boolean): Promise<pg.Client> {
  const mode = sslModeOf(url);
  const withoutMode = new URL(url);
  withoutMode.searchParams.delete("sslmode");
  const config = parse(withoutMode.toString()) as pg.ClientConfig;
  config.ssl = tls ? tlsOptions(mode, config.ssl) : false;
  const client = new pg.Client({ ...config, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: "shearwater" });
  // A connection lost later (a server restart) is reported by the next query; the event alone must not crash.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  return client;
}

/**
 * libpq's checks: verify-full the chain and the host name, verify-ca (and require with a root certificate) the
 * chain only, require / prefer / allow none (encrypted, not authenticated).
 */
function tlsOptions(mode: SslMode, parsed: unknown): object {
  const base = typeof parsed === "object" && parsed !== null ? parsed : {};
  if (mode === "verify-full") return base;
  if (mode === "verify-ca" || (mode === "require" && "ca" in base)) return { ...base, checkServerIdentity: () => undefined };
  return { ...base, rejectUnauthorized: false };
}

function isTlsRefusal(err: unknown): boolean {
  return /does not support SSL|SSL connection|no pg_hba\.conf entry.*(SSL|no encryption)/i.test(String((err as Error)?.message ?? err));
}

const CODES: Record<string, (e: pg.DatabaseError, where: string) => string> = {
  "28P01": (_e, where) => `the archive at ${where} refused the password (wrong password for its user)`,
  "28000": (e, where) => `the archive at ${where} refused the connection: ${e.message}`,
  "3D000": (e, where) => `${e.message} at ${where} (create it first, e.g. \`createdb\`)`,
  "42501": (e, where) => `the archive's user lacks a privilege at ${where}: ${e.message}`,
};

/** An error of the server or the network as a sentence that names the archive (without its password). */
export function describe(err: unknown, url: string): ArchiveError {
  if (err instanceof ArchiveError) return err;
  const where = whereOf(url);
  const e = err as NodeJS.ErrnoException & pg.DatabaseError;
  const code = typeof e?.code === "string" ? e.code : "";
  const message = String(e?.message ?? err);
  if (CODES[code]) return new ArchiveError(CODES[code](e, where), url);
  if (code === "ECONNREFUSED") return new ArchiveError(`cannot reach the archive at ${where}: connection refused (is the server running?)`, url);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new ArchiveError(`cannot reach the archive at ${where}: unknown host`, url);
  if (/timeout/i.test(message)) return new ArchiveError(`cannot reach the archive at ${where}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s`, url);
  if (/does not support SSL/i.test(message)) return new ArchiveError(`the archive at ${where} does not accept TLS, which the URL's sslmode requires`, url);
  return new ArchiveError(`archive at ${where}: ${message}`, url);
}

function whereOf(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get("host") || "localhost";
    return redact(`${host}${u.port ? `:${u.port}` : ""}${u.pathname && u.pathname !== "/" ? u.pathname : ""}`, secretsOf(url));
  } catch {
    return "(unreadable URL)";
  }
}
