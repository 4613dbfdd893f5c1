// Small files that must never be seen half-written (checkpoints, status): temp file, fsync, rename, fsync folder.
import fs from "node:fs/promises";
import path from "node:path";
import writeFileAtomicLib from "write-file-atomic";
import { PRIVATE_FILE_MODE } from "./logsDir.ts";

export async function writeFileAtomic(file: string, data: string | Buffer, mode = PRIVATE_FILE_MODE): Promise<void> {
  await writeFileAtomicLib(file, data, { fsync: true, mode });
  await fsyncDir(path.dirname(file));
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
