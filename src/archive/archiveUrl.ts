// Where an archive lives: `postgres://…` / `postgresql://…` (a PostgreSQL server) or `sqlite:PATH` (a file). URLs may
// carry a password, so every text that could quote one — messages, errors, status — goes through `redact` first.
import path from "node:path";
import { UsageError } from "../config.ts";

export type ArchiveLocation =
  | { kind: "postgres"; url: string; shown: string }
  | { kind: "sqlite"; file: string; shown: string };

/** The archive URL of a command: its flag, else SHEARWATER_ARCHIVE (which keeps a password out of `ps`). */
export function resolveArchiveUrl(flag: string | undefined, env = process.env): string | undefined {
  return flag ?? (env.SHEARWATER_ARCHIVE || undefined);
}

export function parseArchiveUrl(url: string): ArchiveLocation {
  if (/^sqlite:/i.test(url)) {
    const file = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (file === "") throw new UsageError("bad archive URL \"sqlite:\": it needs a file, e.g. sqlite:team-archive.db");
    return { kind: "sqlite", file: path.resolve(file), shown: url };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`bad archive URL "${redact(url)}": not a URL (expected postgres://USER@HOST:PORT/DATABASE)`);
    }
    if (parsed.port !== "" && !/^\d+$/.test(parsed.port)) throw new UsageError(`bad archive URL "${redact(url)}": bad port`);
    return { kind: "postgres", url, shown: redact(url) };
  }
  throw new UsageError(`bad archive URL "${redact(url)}": use postgres://USER@HOST/DATABASE or sqlite:PATH`);
}

/** The user part of any URL (a mistyped scheme carries a password as well). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^/?#\s@]*)@/gi;
const PASSWORD_PARAM = /([?&](?:password|sslpassword)=)[^&#\s]*/gi;

/** The text with every password removed: that of a URL's user part and password parameters. */
export function redact(text: string, secrets: string[] = []): string {
  let out = text
    .replace(URL_CREDENTIALS, (_m, scheme: string, userinfo: string) => `${scheme}${userinfo.split(":")[0]}${userinfo.includes(":") ? ":***" : ""}@`)
    .replace(PASSWORD_PARAM, "$1***");
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join("***");
  return out;
}

/** The passwords a URL carries, as written and decoded: an error that quotes one in any form is masked. */
export function secretsOf(url: string): string[] {
  const found: string[] = [];
  try {
    const parsed = new URL(url);
    if (parsed.password) found.push(parsed.password, decodeURIComponent(parsed.password));
    for (const key of ["password", "sslpassword"]) {
      const v = parsed.searchParams.get(key);
      if (v) found.push(v);
    }
  } catch {
    // not a URL: nothing in it is known to be a secret beyond what redact() finds
  }
  return found;
}

/** An error whose message quotes nothing secret, for a message a user or a log will see. */
export class ArchiveError extends Error {
  constructor(message: string, url?: string) {
    super(url ? redact(message, secretsOf(url)) : redact(message));
    this.name = "ArchiveError";
  }
}
