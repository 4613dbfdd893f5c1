// Backups: restored byte for byte, incremental, verified, encrypted with age (which the age tool decrypts), to a
// folder or an rclone remote; damaged backups, wrong keys and non-empty folders are clear errors with nothing restored.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { backupLogs } from "../../src/backup/backup.ts";
import { readBackupState } from "../../src/backup/backupState.ts";
import { restoreBackup } from "../../src/backup/restore.ts";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { compactLogs } from "../../src/compact/compact.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { newSession } from "../../src/storage/sessions.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { verifyCheckpoint } from "../../src/storage/checkpoints.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { sealedFolder } from "../compact/sealedSession.ts";
import { ageDecryptWithIdentity, ageDecryptWithPassphrase, ageKeygen, allFiles, conversationFiles } from "./support.ts";

async function moreMessages(dir: string, n: number, text = "later"): Promise<void> {
  const w = await SessionWriter.open(dir);
  await w.appendMany(Array.from({ length: n }, (_, i) => ({ kind: "message" as const, topic: "t", payload: { text: `${text} ${i}` }, meta: {} })));
  await w.close();
}

/** A logs folder with a compressed sealed session, checkpoints, a recovery log and an active session ending in a torn line. */
async function richFolder(): Promise<string> {
  const f = await sealedFolder(await tmpDir());
  await compactLogs(f.dir);
  await moreMessages(f.dir, 50);
  await fs.mkdir(logsPaths(f.dir).recovery, { recursive: true, mode: 0o700 });
  await fs.writeFile(logsPaths(f.dir).recoveryLog, '{"cut":"x"}\n', { mode: 0o600 });
  await fs.appendFile(logsPaths(f.dir).current, '{"v":1,"seq":99999,"torn'); // being written: not a complete line
  return f.dir;
}

const restoredInto = async () => path.join(await tmpDir(), "restored");

/** The newest backup at `dest` restored into a new folder holds exactly what `dir` holds now. */
async function expectRestored(dest: string, dir: string): Promise<void> {
  const target = await restoredInto();
  await restoreBackup(dest, target, null);
  expect(await allFiles(target)).toEqual(await conversationFiles(dir));
}

async function overwrite(file: string, text: string, at: (size: number) => number): Promise<void> {
  const fh = await fs.open(file, "r+");
  try {
    await fh.write(Buffer.from(text), 0, text.length, at((await fh.stat()).size));
  } finally {
    await fh.close();
  }
}

describe("backup and restore", () => {
  it("restores a logs folder byte for byte, owner-only, its checkpoints verifying", async () => {
    const dir = await richFolder();
    const dest = await tmpDir();
    const before = await conversationFiles(dir);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(["current_session.jsonl", "recovery/crash_recovery.jsonl"]));
    expect((await fs.readFile(logsPaths(dir).current, "utf8")).endsWith("torn")).toBe(true); // kept up to its last complete line
    const result = await backupLogs(dir, dest);
    const target = await restoredInto();
    await restoreBackup(dest, target, null);
    expect(await allFiles(target)).toEqual(before);
    for (const [rel] of Object.entries(before)) expect((await fs.stat(path.join(target, rel))).mode & 0o777).toBe(0o600);
    expect((await fs.stat(target)).mode & 0o777).toBe(0o700);
    for (const cp of await fs.readdir(logsPaths(target).checkpoints)) expect(await verifyCheckpoint(target, cp)).toEqual({ ok: true });
    expect((await readBackupState(dir)).last).toMatchObject({ ok: true, id: result.id, dest });
  });

  it("is incremental: a second backup stores only the new records (and the files that are new)", async () => {
    const dir = await richFolder();
    const dest = await tmpDir();
    await backupLogs(dir, dest);
    expect((await backupLogs(dir, dest)).new_bytes).toBe(0);
    const total = async () => Object.values(await conversationFiles(dir)).reduce((n, d) => n + parseInt(d), 0);
    const sizeBefore = await total();
    await moreMessages(dir, 2000, "grown"); // (its opening also cuts the torn line into the recovery log)
    const grown = (await total()) - sizeBefore;
    const second = await backupLogs(dir, dest);
    expect(second.new_bytes).toBeGreaterThan(grown - 100);
    expect(second.new_bytes).toBeLessThan(grown + 100);
    await expectRestored(dest, dir);
  });

  it("a file changed where it was backed up is stored again whole, not patched", async () => {
    const dir = await richFolder();
    const dest = await tmpDir();
    await backupLogs(dir, dest);
    await overwrite(logsPaths(dir).current, "X", (size) => size - 30); // inside the last complete line
    await moreMessages(dir, 5);
    await backupLogs(dir, dest);
    await expectRestored(dest, dir);
  });

  it("encrypts for an age recipient: the age tool decrypts its objects; a wrong identity restores nothing", async () => {
    const dir = await richFolder();
    const dest = await tmpDir();
    const keys = await tmpDir();
    const recipient = ageKeygen(path.join(keys, "me.txt"));
    ageKeygen(path.join(keys, "other.txt"));
    await backupLogs(dir, dest, { encryption: { recipients: [recipient] } });
    const before = await conversationFiles(dir);
    const manifestFile = (await fs.readdir(path.join(dest, "backups"))).find((n) => n.endsWith(".manifest.json.age"))!;
    const manifest = JSON.parse(ageDecryptWithIdentity(path.join(dest, "backups", manifestFile), path.join(keys, "me.txt")).toString());
    const objects = await fs.readdir(path.join(dest, "objects"));
    const plain = Buffer.concat(objects.map((o) => ageDecryptWithIdentity(path.join(dest, "objects", o), path.join(keys, "me.txt"))));
    expect(plain.includes(await fs.readFile(logsPaths(dir).current).then((b) => b.subarray(0, b.lastIndexOf(10) + 1)))).toBe(true);
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual(Object.keys(before).sort());
    for (const o of objects) expect((await fs.readFile(path.join(dest, "objects", o))).includes(Buffer.from("deploying the database"))).toBe(false);

    const wrong = await restoredInto();
    await expect(restoreBackup(dest, wrong, { identities: [(await fs.readFile(path.join(keys, "other.txt"), "utf8")).split("\n").find((l) => l.startsWith("AGE-SECRET"))!] })).rejects.toThrow(/cannot be decrypted/);
    await expect(fs.access(wrong)).rejects.toThrow();
    expect(await fs.readdir(path.dirname(wrong))).toEqual([]);
    await expect(restoreBackup(dest, wrong, null)).rejects.toThrow(/encrypted: give --identity/);

    const run = shearwaterSync("restore", dest, "--logs", wrong, "--identity", path.join(keys, "me.txt"));
    expect(run.status).toBe(0);
    expect(await allFiles(wrong)).toEqual(before);
  });

  it("encrypts with a passphrase (the age tool decrypts it too); a wrong passphrase restores nothing", async () => {
    const dir = await tmpDir();
    await moreMessages(dir, 20);
    const dest = await tmpDir();
    const pass = path.join(await tmpDir(), "pass.txt");
    await fs.writeFile(pass, "correct horse battery\n", { mode: 0o600 });
    const run = shearwaterSync("backup", dest, "--logs", dir, "--passphrase-file", pass, "--json");
    expect(run.status).toBe(0);
    const [object] = await fs.readdir(path.join(dest, "objects"));
    const out = path.join(await tmpDir(), "object");
    ageDecryptWithPassphrase(path.join(dest, "objects", object), "correct horse battery", out);
    expect(await fs.readFile(out)).toEqual(await fs.readFile(logsPaths(dir).current));
    const wrongPass = path.join(path.dirname(pass), "wrong.txt");
    await fs.writeFile(wrongPass, "wrong\n");
    const wrong = await restoredInto();
    const refused = shearwaterSync("restore", dest, "--logs", wrong, "--passphrase-file", wrongPass);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/cannot be decrypted with the passphrase/);
    await expect(fs.access(wrong)).rejects.toThrow();
    await restoreBackup(dest, wrong, { passphrase: "correct horse battery" });
    expect(await allFiles(wrong)).toEqual(await conversationFiles(dir));
  }, 60_000);

  it("a damaged or missing object is a clear error, and nothing is restored", async () => {
    const dir = await richFolder();
    const dest = await tmpDir();
    await backupLogs(dir, dest);
    const [object] = await fs.readdir(path.join(dest, "objects"));
    const file = path.join(dest, "objects", object);
    await overwrite(file, "!", () => 100);
    const target = await restoredInto();
    await expect(restoreBackup(dest, target, null)).rejects.toThrow(/is damaged/);
    await fs.rm(file);
    await expect(restoreBackup(dest, target, null)).rejects.toThrow(/cannot be read/);
    expect(await fs.readdir(path.dirname(target))).toEqual([]);
  });

  it("refuses to restore into a folder that is not empty, and restores into an empty one", async () => {
    const dir = await richFolder();
    const dest = await tmpDir();
    await backupLogs(dir, dest);
    const target = await tmpDir();
    await fs.writeFile(path.join(target, "keep.txt"), "mine");
    const run = shearwaterSync("restore", dest, "--logs", target);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/is not empty/);
    expect(await fs.readdir(target)).toEqual(["keep.txt"]);
    await fs.rm(path.join(target, "keep.txt"));
    await restoreBackup(dest, target, null);
    expect(await allFiles(target)).toEqual(await conversationFiles(dir));
  });

  it("backs up to an rclone remote (its local backend) and restores from it", async () => {
    const dir = await richFolder();
    const remote = `:local:${await tmpDir()}/remote`;
    const run = shearwaterSync("backup", remote, "--logs", dir, "--json");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    await moreMessages(dir, 10);
    expect(JSON.parse(shearwaterSync("backup", remote, "--logs", dir, "--json").stdout).new_bytes).toBeLessThan(5000);
    await expectRestored(remote, dir);
  });

  it("keeps the last N backups, and the objects the kept ones need", async () => {
    const dir = await richFolder();
    const dest = await tmpDir();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      await moreMessages(dir, 10, `round ${i}`);
      ids.push((await backupLogs(dir, dest, { keep: 2 })).id);
    }
    const manifests = (await fs.readdir(path.join(dest, "backups"))).filter((n) => n.includes(".manifest."));
    expect(manifests.sort()).toEqual(ids.slice(2).map((id) => `${id}.manifest.json`));
    await expectRestored(dest, dir);
  });

  it("a backup while sessions are sealed and compressed holds every session there was, and its checkpoints verify", async () => {
    const dir = await tmpDir();
    const dest = await tmpDir();
    await moreMessages(dir, 3000);
    await newSession(dir);
    let stop = false;
    const churn = (async () => {
      while (!stop) {
        await moreMessages(dir, 300);
        await newSession(dir);
        await compactLogs(dir);
      }
    })();
    try {
      for (let round = 0; round < 4; round++) {
        const sessionsIn = async (logs: string) =>
          (await fs.readdir(logsPaths(logs).sessions)).filter((n) => /\.jsonl(\.swc)?$/.test(n)).map((n) => n.replace(/\.jsonl(\.swc)?$/, ""));
        const before = await sessionsIn(dir);
        await backupLogs(dir, dest);
        const target = await restoredInto();
        await restoreBackup(dest, target, null);
        const restored = await sessionsIn(target);
        expect(restored).toEqual(expect.arrayContaining(before));
        for (const cp of await fs.readdir(logsPaths(target).checkpoints)) {
          const check = await verifyCheckpoint(target, cp);
          if (!check.ok) expect(check.reason).toMatch(/not found/); // its session sealed after the backup listed the folder
        }
      }
    } finally {
      stop = true;
      await churn;
    }
  }, 60_000);

  it("kill -9 during a backup leaves no backup half-made; the next run completes it", async () => {
    const dir = await tmpDir();
    await moreMessages(dir, 1);
    const line = `${JSON.stringify({ v: 1, seq: 3, ts: "2026-11-24T01:00:00.000Z", kind: "message", topic: "t", payload: { text: "y".repeat(1 << 20) }, meta: {} })}\n`;
    await fs.appendFile(logsPaths(dir).current, line.repeat(200)); // 200 MiB: several objects of 64 MiB
    const dest = await tmpDir();
    const child = spawn(process.execPath, [BIN_PATH, "backup", dest, "--logs", dir], { stdio: "ignore" });
    await waitFor(async () => (await fs.readdir(path.join(dest, "objects")).catch(() => [])).length > 0, { timeoutMs: 20_000 });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(await fs.readdir(path.join(dest, "backups")).catch(() => [])).toEqual([]);
    await expect(restoreBackup(dest, await restoredInto(), null)).rejects.toThrow(/no complete backup/);
    await backupLogs(dir, dest);
    await expectRestored(dest, dir);
  }, 60_000);
});

describe("status", () => {
  it("shows the compression ratio, the last good backup's age and a failed backup's reason", async () => {
    const dir = await richFolder();
    const never = JSON.parse(shearwaterSync("status", "--logs", dir, "--json").stdout);
    expect(never.storage).toMatchObject({ sealed_sessions: 1, compressed_sessions: 1, backup: { last: null, age_s: null } });
    expect(never.storage.compression_ratio).toBeGreaterThan(5);
    const ok = await backupLogs(dir, await tmpDir());
    await expect(backupLogs(dir, ":nosuchbackend:/x")).rejects.toThrow(/rclone/);
    const run = shearwaterSync("status", "--logs", dir, "--json");
    const { storage } = JSON.parse(run.stdout);
    expect(storage.backup.last_ok.id).toBe(ok.id);
    expect(storage.backup.age_s).toBeLessThan(60);
    expect(storage.backup.last).toMatchObject({ ok: false, dest: ":nosuchbackend:/x" });
    const plain = shearwaterSync("status", "--logs", dir).stdout;
    expect(plain).toMatch(/^sealed: {3}1 sessions, 1 compressed: .* \(\d+(\.\d+)?×\)$/m);
    expect(plain).toMatch(new RegExp(`^backup: {3}last ok \\d+ s ago \\(${ok.id}, .*; the last one failed at .*rclone`, "m"));
  });
});
