// Files of a logs folder are never opened through a symbolic link, never trusted when another user owns them, and
// are owner-only: the mechanism itself (openPrivate, ensurePrivateDir), and the folder's files opened through it.
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensurePrivateDir, UnsafeFolderError } from "../../src/storage/logsDir.ts";
import { openPrivate, readPrivateFile, readPrivateFileSync, UnsafeFileError } from "../../src/storage/privateFile.ts";
import { tmpDir } from "../helpers/tmp.ts";

const isRoot = process.getuid?.() === 0;
/** A uid that is not ours: files chowned to it stand for another user's (only root can chown). */
const OTHER_UID = 65534;

/** A folder with a victim file outside it and a symbolic link to the victim planted inside it as `name`. */
async function planted(name: string) {
  const dir = await tmpDir();
  const victim = path.join(await tmpDir(), "victim.txt");
  await fs.writeFile(victim, "the victim's own data\n");
  const link = path.join(dir, name);
  await fs.symlink(victim, link);
  return { dir, victim, link };
}

async function untouched(victim: string): Promise<string> {
  return fs.readFile(victim, "utf8");
}

describe("openPrivate", () => {
  it.each(["r", "r+", "a", "w"] as const)("refuses a symbolic link (%s) and leaves what it points at untouched", async (mode) => {
    const { victim, link } = await planted("current_session.jsonl");
    const err = await openPrivate(link, mode).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsafeFileError);
    expect((err as Error).message).toMatch(/refusing .*current_session\.jsonl: it is a symbolic link/);
    expect(await untouched(victim)).toBe("the victim's own data\n");
  });

  it("refuses a dangling symbolic link instead of creating the file it points at", async () => {
    const dir = await tmpDir();
    const target = path.join(await tmpDir(), "created-by-the-link");
    await fs.symlink(target, path.join(dir, "recovery.jsonl"));
    await expect(openPrivate(path.join(dir, "recovery.jsonl"), "a")).rejects.toBeInstanceOf(UnsafeFileError);
    await expect(fs.access(target)).rejects.toThrow();
  });

  it("refuses what is not a regular file, a FIFO included, without blocking on it", async () => {
    const dir = await tmpDir();
    await expect(openPrivate(dir, "r")).rejects.toThrow(/not a regular file/);
    const fifo = path.join(dir, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    await expect(openPrivate(fifo, "r")).rejects.toThrow(/not a regular file/);
  });

  it("creates files owner-only and makes an existing file owner-only", async () => {
    const dir = await tmpDir();
    const created = path.join(dir, "new.jsonl");
    await (await openPrivate(created, "a")).close();
    expect((await fs.stat(created)).mode & 0o777).toBe(0o600);
    const open = path.join(dir, "readable.jsonl");
    await fs.writeFile(open, "x\n", { mode: 0o644 });
    await fs.chmod(open, 0o644);
    expect(await readPrivateFile(open)).toBe("x\n");
    expect((await fs.stat(open)).mode & 0o777).toBe(0o600);
  });

  it("passes the open's own errors through (a missing file is ENOENT)", async () => {
    const dir = await tmpDir();
    await expect(openPrivate(path.join(dir, "missing"), "r")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("reads synchronously with the same checks", async () => {
    const { victim, link } = await planted("recorder.status.json");
    expect(() => readPrivateFileSync(link)).toThrow(UnsafeFileError);
    await fs.writeFile(path.join(path.dirname(link), "ok.json"), "{}");
    expect(readPrivateFileSync(path.join(path.dirname(link), "ok.json"))).toBe("{}");
    expect(await untouched(victim)).toBe("the victim's own data\n");
  });

  it.runIf(isRoot)("refuses a file that belongs to another user", async () => {
    const dir = await tmpDir();
    const file = path.join(dir, "current_session.jsonl");
    await fs.writeFile(file, "planted\n", { mode: 0o666 });
    await fs.chown(file, OTHER_UID, OTHER_UID);
    for (const mode of ["r", "r+", "a"] as const) {
      await expect(openPrivate(file, mode)).rejects.toThrow(/belongs to another user \(uid 65534\)/);
    }
    expect(() => readPrivateFileSync(file)).toThrow(/belongs to another user/);
    expect(await fs.readFile(file, "utf8")).toBe("planted\n");
  });
});

describe("ensurePrivateDir", () => {
  it("creates a folder owner-only and tightens an existing one", async () => {
    const root = await tmpDir();
    await ensurePrivateDir(path.join(root, "sessions"));
    expect((await fs.stat(path.join(root, "sessions"))).mode & 0o777).toBe(0o700);
    await fs.mkdir(path.join(root, "checkpoints"), { mode: 0o755 });
    await fs.chmod(path.join(root, "checkpoints"), 0o755);
    await ensurePrivateDir(path.join(root, "checkpoints"));
    expect((await fs.stat(path.join(root, "checkpoints"))).mode & 0o777).toBe(0o700);
  });

  it("refuses a folder planted as a symbolic link", async () => {
    const root = await tmpDir();
    const elsewhere = await tmpDir();
    await fs.symlink(elsewhere, path.join(root, "sessions"));
    await expect(ensurePrivateDir(path.join(root, "sessions"))).rejects.toThrow(UnsafeFolderError);
    await expect(ensurePrivateDir(path.join(root, "sessions"))).rejects.toThrow(/symbolic link/);
    expect((await fs.stat(elsewhere)).mode & 0o777).toBe(0o700); // mkdtemp's mode, not changed through the link
  });

  it.runIf(isRoot)("refuses a folder of another user", async () => {
    const root = await tmpDir();
    await fs.mkdir(path.join(root, "recovery"));
    await fs.chown(path.join(root, "recovery"), OTHER_UID, OTHER_UID);
    await expect(ensurePrivateDir(path.join(root, "recovery"))).rejects.toThrow(/belongs to another user/);
  });
});
