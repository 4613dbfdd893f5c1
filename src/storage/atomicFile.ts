// Small files that must never be seen half-written (checkpoints, status): temp file, fsync, rename, fsync folder.
// The rename replaces whatever has the name, a planted symbolic link included, and never writes through it.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, renameSync, rmSync, writeFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { openPrivate, openPrivateSync } from "./privateFile.ts";

/** Written owner-only, like every file of a logs folder. */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const fh = await openPrivate(tmp, "wx");
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(file));
}

/**
 * writeFileAtomic for the places that cannot wait (a process dying of an unexpected error): the same steps, the
 * temp file created exclusively (never through a planted link), owner-only.
 */
export function writeFileAtomicSync(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const fd = openPrivateSync(tmp, "wx");
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Makes a rename or a new name in `dir` durable. Some platforms (Windows) cannot open a folder: nothing to do there. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(dir, "r");
    await fh.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL" && code !== "EACCES") throw err;
  } finally {
    await fh?.close();
  }
}
