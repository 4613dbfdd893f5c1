// What a real PostgreSQL server and a real network do to a push: killed mid-COPY, the server restarted while
// following, bad URLs and credentials, TLS asked of a server without it, hosts migrating at once, least-privilege
// roles. A private server of the test's own (initdb), never a mock; skipped only where PostgreSQL is not installed.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { LATEST_VERSION } from "../../src/archive/postgres/pgSchema.ts";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { ADMIN_PASSWORD, postgresBinDir, POSTGRES_MISSING_REASON, PostgresCluster } from "../helpers/postgresCluster.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { appendMessages } from "../search/corpus.ts";
import { lines, makeLogs, manyMessages, postgresBackend, sessionLines, shearwater, START } from "./archiveFixtures.ts";

const HAS_POSTGRES = postgresBinDir() !== null;
// Each test runs several programs against a database server: on a busy 2-core machine that takes a while.
vi.setConfig({ testTimeout: 120_000 });
let cluster: PostgresCluster;
const backend = postgresBackend(() => cluster);

describe.skipIf(!HAS_POSTGRES)(`archive on a real PostgreSQL server${HAS_POSTGRES ? "" : ` (skipped: ${POSTGRES_MISSING_REASON})`}`, () => {
  beforeAll(async () => {
    cluster = await PostgresCluster.start();
  }, 120_000);
  afterAll(() => cluster?.stop());

  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill("SIGKILL")));

  function start(args: string[]): ChildProcess & { out: string; err: string } {
    const child = spawn(process.execPath, [BIN_PATH, ...args], { env: { ...process.env, NO_COLOR: "1" } }) as ChildProcess & { out: string; err: string };
    child.out = "";
    child.err = "";
    child.stdout!.on("data", (d) => (child.out += d));
    child.stderr!.on("data", (d) => (child.err += d));
    children.push(child);
    return child;
  }

  function database(url: string): string {
    return new URL(url).pathname.slice(1);
  }

  /** docs/archive-roles.sql run on a database, its roles named `PREFIX_writer` and `PREFIX_reader`: their URLs. */
  async function makeRoles(db: string, prefix: string, edit = (sql: string) => sql): Promise<{ writer: string; reader: string }> {
    const sql = (await fs.readFile(path.join(import.meta.dirname, "../../docs/archive-roles.sql"), "utf8"))
      .replaceAll(":'writer_password'", `'${prefix}-writer-pw'`)
      .replaceAll(":'reader_password'", `'${prefix}-reader-pw'`)
      .replaceAll("team_archive", db)
      .replaceAll("shearwater_writer", `${prefix}_writer`)
      .replaceAll("shearwater_reader", `${prefix}_reader`);
    cluster.psql(edit(sql), db);
    const as = (role: string) => cluster.url(db, { user: `${prefix}_${role}`, password: `${prefix}-${role}-pw` });
    return { writer: as("writer"), reader: as("reader") };
  }

  /** The seqs stored of one session: with no gap, they are 1…max. */
  function seqs(url: string, session: string): { count: number; max: number } {
    const [count, max] = cluster.psql(`SELECT count(*), coalesce(max(seq), 0) FROM shearwater.records WHERE session = '${session}'`, database(url)).trim().split("|").map(Number);
    return { count, max };
  }

  it("resumes a push killed with SIGKILL in the middle of a COPY: every record once, no gap", async () => {
    const url = await backend.newArchive();
    const logs = await tmpDir();
    const total = 150_000;
    await makeLogs(logs, { id: "S-big", msgs: manyMessages(total - 1, "alice", "a longer line of words so that the copy takes a while to stream") });
    const child = start(["archive", "push", "--to", url, "--logs", logs]);
    // Killed while a COPY is running and after an earlier batch is in: the batch being copied must vanish whole.
    await waitFor(
      () => {
        const copying = cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY records%' AND state = 'active'", database(url)).trim() === "1";
        return copying && seqs(url, "S-big").count > 0;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: "a COPY after the first batch" },
    );
    child.kill("SIGKILL");
    await new Promise((r) => child.once("close", r));
    const partial = seqs(url, "S-big");
    expect(partial.count).toBeGreaterThan(0);
    expect(partial.count).toBeLessThan(total);
    expect(partial.max).toBe(partial.count);
    const again = await shearwater(["archive", "push", "--to", url, "--logs", logs, "--json"]);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).records).toBe(total - partial.count);
    expect(backend.counts(url)).toEqual({ records: total, distinct: total });
    expect(seqs(url, "S-big")).toEqual({ count: total, max: total });
  }, 180_000);

  it("follows: a new record is in the archive within a second, and a server restart loses and repeats nothing", async () => {
    const url = await backend.newArchive();
    const logs = await tmpDir();
    const current = await makeLogs(logs, { id: "S-live", msgs: manyMessages(5, "alice") });
    const child = start(["archive", "push", "--to", url, "--logs", logs, "--follow", "--json"]);
    await waitFor(() => seqs(url, "S-live").count === 6, { timeoutMs: 20_000, what: "the first pass" });
    let seq = 7;
    for (let i = 0; i < 3; i++) {
      const written = Date.now();
      await appendMessages(current, [{ from: "bob", text: `live message ${i}`, at: 10 + i }], seq++, START);
      await waitFor(() => seqs(url, "S-live").count === seq - 1, { timeoutMs: 5_000, intervalMs: 10, what: "the new record" });
      expect(Date.now() - written).toBeLessThan(1_000);
    }
    cluster.restart("immediate");
    await appendMessages(current, manyMessages(50, "carol", "written while the server was restarting"), seq, START);
    seq += 50;
    await waitFor(() => seqs(url, "S-live").count === seq - 1, { timeoutMs: 30_000, what: "the records after the restart" });
    expect(seqs(url, "S-live")).toEqual({ count: seq - 1, max: seq - 1 });
    expect(backend.counts(url)).toEqual({ records: seq - 1, distinct: seq - 1 });
    child.kill("SIGINT");
    const code = await new Promise((r) => child.once("close", r));
    expect(code).toBe(0);
    expect(child.err).toMatch(/trying again in/);
    expect(child.err).not.toContain(ADMIN_PASSWORD);
  }, 90_000);

  it("says clearly what is wrong with a bad URL, a wrong password, a missing database, an unreachable server, never the password", async () => {
    const logs = await tmpDir();
    await makeLogs(logs, { id: "S-x", msgs: manyMessages(3, "alice") });
    const before = await fs.readdir(logs);
    const cases: [string, number, RegExp][] = [
      ["mysql://u:hunter22@127.0.0.1/x", 2, /bad archive URL "mysql:\/\/u:\*\*\*@127\.0\.0\.1\/x": use postgres:\/\//],
      [`postgres://u:hunter22@127.0.0.1:notaport/x`, 2, /bad archive URL/],
      [cluster.url("postgres", { password: "hunter22-guess" }), 1, /refused the password/],
      [cluster.url("no_such_db"), 1, /database "no_such_db" does not exist/],
      [`postgres://u:hunter22@127.0.0.1:1/x?sslmode=disable`, 1, /cannot reach the archive at 127\.0\.0\.1:1\/x: connection refused/],
      [cluster.url("postgres", { params: "sslmode=bogus" }), 1, /bad sslmode "bogus"/],
    ];
    for (const [url, code, message] of cases) {
      for (const args of [["archive", "push", "--to", url, "--logs", logs], ["search", "--archive", url, "x"], ["archive", "status", "--to", url]]) {
        const r = await shearwater(args);
        expect([r.status, r.stdout]).toEqual([code, ""]);
        expect(r.stderr).toMatch(message);
        for (const secret of ["hunter22", ADMIN_PASSWORD]) expect(r.stderr).not.toContain(secret);
      }
    }
    // Nothing of the logs folder was changed but its identity, made before the archive was reached.
    expect((await fs.readdir(logs)).filter((f) => !before.includes(f))).toEqual(["source.json"]);
    expect(cluster.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'shearwater'", "postgres").trim()).toBe("0");
  }, 120_000);

  it("honours sslmode: require fails on a server without TLS, disable and the default (prefer) connect", async () => {
    const url = await backend.newArchive();
    const logs = await tmpDir();
    await makeLogs(logs, { id: "S-tls", msgs: manyMessages(2, "alice") });
    const require = await shearwater(["archive", "push", "--to", url.replace("sslmode=disable", "sslmode=require"), "--logs", logs]);
    expect(require.status).toBe(1);
    expect(require.stderr).toMatch(/does not accept TLS, which the URL's sslmode requires/);
    const verify = await shearwater(["archive", "push", "--to", url.replace("sslmode=disable", "sslmode=verify-full"), "--logs", logs]);
    expect(verify.status).toBe(1);
    const prefer = await shearwater(["archive", "push", "--to", url.replace("?sslmode=disable", ""), "--logs", logs, "--json"]);
    expect([prefer.status, prefer.stderr]).toEqual([0, ""]);
    expect(JSON.parse(prefer.stdout).records).toBe(3);
  });

  it("migrates once when several hosts start at once", async () => {
    const url = await backend.newArchive();
    const runs = await Promise.all(Array.from({ length: 4 }, () => shearwater(["archive", "migrate", "--to", url, "--json"])));
    for (const r of runs) expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(runs.map((r) => JSON.parse(r.stdout).from).sort()).toEqual([0, LATEST_VERSION, LATEST_VERSION, LATEST_VERSION]);
    expect(cluster.psql("SELECT count(*), max(version) FROM shearwater.schema_migrations", database(url)).trim()).toBe(`${LATEST_VERSION}|${LATEST_VERSION}`);
  });

  it("works with the documented least-privilege roles: the writer pushes, the reader only reads", async () => {
    const url = await backend.newArchive();
    const db = database(url);
    expect((await shearwater(["archive", "migrate", "--to", url])).status).toBe(0);
    const { writer, reader } = await makeRoles(db, "shearwater");
    const logs = await tmpDir();
    await makeLogs(logs, { id: "S-roles", msgs: [{ from: "alice", text: "quarterly numbers are ready", at: 1 }] });
    const pushed = await shearwater(["archive", "push", "--to", writer, "--logs", logs, "--json"]);
    expect([pushed.status, pushed.stderr]).toEqual([0, ""]);
    const found = await shearwater(["search", "--archive", reader, "--json", "quartely"]);
    expect(found.status).toBe(0);
    expect(JSON.parse(found.stdout)).toHaveLength(1);
    const view = await shearwater(["view", "--archive", reader, "--json"]);
    expect(view.stdout).toBe(lines(sessionLines("S-roles", [{ from: "alice", text: "quarterly numbers are ready", at: 1 }])));
    const denied = await shearwater(["archive", "push", "--to", reader, "--logs", logs]);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/lacks a privilege/);
    const noMigrate = await shearwater(["archive", "migrate", "--to", writer]);
    expect(noMigrate.status).toBe(0); // nothing to do: already at the latest version
  });

  it("lets the writer of an archive made before schema 2 store a live tap's rewinds once its owner migrates", async () => {
    const url = await backend.newArchive();
    const db = database(url);
    expect((await shearwater(["archive", "migrate", "--to", url])).status).toBe(0);
    // Roles of their own (roles belong to the server), and without default privileges: the migration's own grants
    // alone make the new tables usable.
    const { writer, reader } = await makeRoles(db, "tap", (sql) => sql.replace(/^ALTER DEFAULT PRIVILEGES .*$/m, ""));
    // Back to schema 1, the roles granted what it had: the owner's migration grants the new tables to whoever may
    // add records (the writer: INSERT) and read them (both: SELECT).
    cluster.psql("DROP TABLE shearwater.places, shearwater.rewinds; DELETE FROM shearwater.schema_migrations WHERE version = 2", db);
    const migrated = await shearwater(["archive", "migrate", "--to", url, "--json"]);
    expect(JSON.parse(migrated.stdout)).toMatchObject({ from: 1, to: LATEST_VERSION });
    const file = "/home/u/.claude/projects/p/s.jsonl";
    const ts = new Date(START).toISOString();
    const tapped = (seq: number, line: number, text: string) =>
      JSON.stringify({ v: 1, seq, ts, kind: "message", topic: "claude_code", payload: {}, meta: { agent: "claude_code", role: "user", text, source: { format: "claude", file, line, offset: 0, length: 1, type: "user" } } });
    const logs = await tmpDir();
    const current = await makeLogs(logs, { id: "S-tap", msgs: [] });
    await fs.appendFile(current, lines([
      tapped(2, 1, "kept question"),
      tapped(3, 2, "question taken back"),
      JSON.stringify({ v: 1, seq: 4, ts, kind: "event", event: "transcript_rewound", format: "claude", file, lines: [2], ids: [] }),
    ]));
    const pushed = await shearwater(["archive", "push", "--to", writer, "--logs", logs]);
    expect([pushed.status, pushed.stderr]).toEqual([0, ""]);
    const found = await shearwater(["search", "--archive", reader, "--json", "has:rewound"]);
    expect((JSON.parse(found.stdout) as { seq: number; rewound: boolean }[]).map((h) => [h.seq, h.rewound])).toEqual([[3, true]]);
  });
});
