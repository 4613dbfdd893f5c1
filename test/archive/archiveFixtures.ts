// Logs folders with known sessions for the archive's tests, the real executable run against them, and the two
// backends as the tests see them: a URL to push to and an independent count of what the archive stores.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { ensureLogsDir } from "../../src/storage/logsDir.ts";
import { postgresBinDir, PostgresCluster } from "../helpers/postgresCluster.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { messageLine, sessionStarted, type Msg } from "../search/corpus.ts";

export const START = Date.parse("2026-11-24T10:00:00Z");

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function shearwater(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN_PATH, ...args], { env: { ...process.env, NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** The lines of a session: session_started, then the messages (seq 2, 3, …). */
export function sessionLines(session: string, msgs: Msg[], start = START): string[] {
  return [sessionStarted(session, start), ...msgs.map((m, i) => messageLine(m, i + 2, start))];
}

/** A logs folder with an active session and, when given, sealed ones. Returns its active session file. */
export async function makeLogs(dir: string, current: { id: string; msgs: Msg[] }, sealed: { id: string; msgs: Msg[] }[] = []): Promise<string> {
  const p = await ensureLogsDir(dir);
  for (const s of sealed) await fs.writeFile(path.join(p.sessions, `${s.id}.jsonl`), lines(sessionLines(s.id, s.msgs)), { mode: 0o600 });
  await fs.writeFile(p.current, lines(sessionLines(current.id, current.msgs)), { mode: 0o600 });
  return p.current;
}

export function lines(list: string[]): string {
  return list.map((l) => `${l}\n`).join("");
}

export function manyMessages(n: number, from: string, words = "routine status report"): Msg[] {
  return Array.from({ length: n }, (_, i) => ({ from, to: "team", text: `${words} number ${i}`, at: i / 1000 }));
}

/** What the archive stores, counted without Shearwater's code: records, and distinct identities among them. */
export interface StoredCounts {
  records: number;
  distinct: number;
}

export interface Backend {
  name: string;
  /** A fresh, empty archive. */
  newArchive(): Promise<string>;
  counts(url: string): StoredCounts;
  /** SQL run on the archive without Shearwater's code, its tables named as in its schema (to undo a migration). */
  exec(url: string, sql: string): void;
}

export function sqliteBackend(dirOf: () => Promise<string>): Backend {
  return {
    name: "sqlite",
    newArchive: async () => `sqlite:${path.join(await dirOf(), "archive.db")}`,
    counts: (url) => {
      const db = new Database(url.slice("sqlite:".length), { readonly: true });
      try {
        return db.prepare("SELECT count(*) AS records, count(DISTINCT source || '/' || session || '/' || seq) AS \"distinct\" FROM records").get() as StoredCounts;
      } finally {
        db.close();
      }
    },
    exec: (url, sql) => {
      const db = new Database(url.slice("sqlite:".length));
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
  };
}

let databases = 0;

export function postgresBackend(cluster: () => PostgresCluster): Backend {
  return {
    name: "postgres",
    newArchive: async () => cluster().createDatabase(`archive_${process.pid}_${++databases}`),
    counts: (url) => {
      const database = new URL(url).pathname.slice(1);
      const [records, distinct] = cluster()
        .psql("SELECT count(*), count(DISTINCT (source, session, seq)) FROM shearwater.records", database)
        .trim()
        .split("|")
        .map(Number);
      return { records, distinct };
    },
    exec: (url, sql) => void cluster().psql(`SET search_path TO shearwater, public; ${sql}`, new URL(url).pathname.slice(1)),
  };
}

/**
 * Both backends for a test file's table, each with whether it can run: SQLite always, and a private PostgreSQL
 * server (started before the file's tests, stopped after them) wherever PostgreSQL is installed.
 */
export function archiveBackends(): [Backend, boolean][] {
  const hasPostgres = postgresBinDir() !== null;
  let cluster: PostgresCluster | null = null;
  beforeAll(async () => {
    if (hasPostgres) cluster = await PostgresCluster.start();
  }, 120_000);
  afterAll(() => cluster?.stop());
  return [
    [sqliteBackend(() => tmpDir()), true],
    [postgresBackend(() => cluster!), hasPostgres],
  ];
}
