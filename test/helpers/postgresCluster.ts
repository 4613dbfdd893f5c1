// A private PostgreSQL server for tests: initdb into a temporary folder, started on a free loopback port with its
// socket in that folder, stopped and removed at the end. PostgreSQL refuses to run as root, so as root (CI) the
// cluster belongs to the unprivileged `nobody` and its programs run through runuser.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./ports.ts";

export const ADMIN_USER = "archive_admin";
export const ADMIN_PASSWORD = "s3cret-Pa55word";

/** The newest installed server's programs (Debian's layout), or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(root, v, "bin")).find((bin) => fs.existsSync(path.join(bin, "initdb")));
  return found ?? null;
}

export const POSTGRES_MISSING_REASON = "PostgreSQL server programs not found under /usr/lib/postgresql/*/bin (Debian package `postgresql`)";

export class PostgresCluster {
  private constructor(
    readonly bin: string,
    readonly dir: string,
    readonly port: number,
    private readonly runAs: string | null,
  ) {}

  /** initdb (password authentication, scram) and start. */
  static async start(): Promise<PostgresCluster> {
    const bin = postgresBinDir();
    if (!bin) throw new Error(POSTGRES_MISSING_REASON);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shearwater-pg-"));
    const runAs = process.getuid?.() === 0 ? "nobody" : null;
    if (runAs) {
      const uid = Number(execFileSync("id", ["-u", runAs], { encoding: "utf8" }));
      const gid = Number(execFileSync("id", ["-g", runAs], { encoding: "utf8" }));
      fs.chownSync(dir, uid, gid);
    }
    const cluster = new PostgresCluster(bin, dir, await freePort(), runAs);
    const pwfile = path.join(dir, "pw");
    cluster.run("sh", ["-c", `umask 077 && printf '%s' '${ADMIN_PASSWORD}' > '${pwfile}'`]);
    cluster.run(path.join(bin, "initdb"), ["-D", cluster.data, "-U", ADMIN_USER, `--pwfile=${pwfile}`, "-A", "scram-sha-256", "-E", "UTF8", "--no-sync"]);
    cluster.startServer();
    return cluster;
  }

  get data(): string {
    return path.join(this.dir, "data");
  }

  /** An admin URL for a database of this server (password included: tests only). */
  url(database = "postgres", { user = ADMIN_USER, password = ADMIN_PASSWORD, params = "sslmode=disable" } = {}): string {
    return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/${database}${params ? `?${params}` : ""}`;
  }

  startServer(): void {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
    this.run(path.join(this.bin, "pg_ctl"), ["-D", this.data, "-l", path.join(this.dir, "server.log"), "-w", "-t", "60", "-o", opts, "start"]);
  }

  /** `immediate`: as a crash would (no shutdown checkpoint); `fast`: disconnects clients, then a clean stop. */
  stopServer(mode: "fast" | "immediate" = "fast"): void {
    this.run(path.join(this.bin, "pg_ctl"), ["-D", this.data, "-m", mode, "-w", "stop"]);
  }

  restart(mode: "fast" | "immediate" = "immediate"): void {
    this.stopServer(mode);
    this.startServer();
  }

  /** SQL through psql as the admin (over the socket), its output as text. */
  psql(sql: string, database = "postgres"): string {
    return this.run(path.join(this.bin, "psql"), ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", this.dir, "-p", String(this.port), "-U", ADMIN_USER, "-d", database, "-c", sql], {
      PGPASSWORD: ADMIN_PASSWORD,
    });
  }

  createDatabase(name: string): string {
    this.psql(`CREATE DATABASE "${name}"`);
    return this.url(name);
  }

  stop(): void {
    try {
      this.stopServer("immediate");
    } catch {
      // already stopped
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  run(cmd: string, args: string[], env: Record<string, string> = {}): string {
    const [file, argv] = this.runAs ? ["runuser", ["-u", this.runAs, "--", "env", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), cmd, ...args]] : [cmd, args];
    const r = spawnSync(file, argv, { encoding: "utf8", cwd: this.dir, env: { ...process.env, ...env }, timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}${this.serverLog()}`);
    return r.stdout;
  }

  private serverLog(): string {
    try {
      return `\n--- server.log ---\n${fs.readFileSync(path.join(this.dir, "server.log"), "utf8").slice(-2000)}`;
    } catch {
      return "";
    }
  }
}
