// The one way a file of a logs folder is opened. A logs folder may sit where others can write (a shared temp
// folder, a group folder): a symbolic link planted in place of a session file would make the recorder truncate and
// append to whatever it points at, and a file planted by another user would be trusted as ours. So a file is never
// opened through a symbolic link, must be a regular file of this user, and is made owner-only if it was not.
import { fstatSync, lstatSync, openSync, closeSync, readFileSync, fchmodSync, constants, type Stats } from "node:fs";
import fs from "node:fs/promises";
import { PRIVATE_FILE_MODE } from "./logsDir.ts";

/** A file of a logs folder that is a symbolic link, not a regular file, or another user's. */
export class UnsafeFileError extends Error {
  constructor(readonly file: string, why: string) {
    super(`refusing ${file}: ${why}; the files of a logs folder must be regular files of their owner`);
  }
}

export type OpenMode = "r" | "r+" | "a" | "w" | "wx";

const { O_RDONLY, O_RDWR, O_WRONLY, O_CREAT, O_APPEND, O_TRUNC, O_EXCL } = constants;
const MODE_FLAGS: Record<OpenMode, number> = {
  r: O_RDONLY,
  "r+": O_RDWR,
  a: O_WRONLY | O_CREAT | O_APPEND,
  w: O_WRONLY | O_CREAT | O_TRUNC,
  wx: O_WRONLY | O_CREAT | O_EXCL,
};
/** Where the platform has no O_NOFOLLOW (Windows), the path is checked with lstat before it is opened instead. */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** A FIFO planted in place of a file would block the open forever; non-blocking, the open returns and is refused. */
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const ACCESS_BITS = O_RDONLY | O_RDWR | O_WRONLY;

/**
 * Opens `file` (of a logs folder) with `flags` (a mode, or open(2) flags such as O_RDWR | O_DSYNC) without following
 * a symbolic link; a file created is owner-only (`mode`). Rejects with UnsafeFileError for a symbolic link, a file
 * that is not regular, or a file of another user; other errors (ENOENT…) are the open's own.
 */
export async function openPrivate(file: string, flags: OpenMode | number, mode = PRIVATE_FILE_MODE): Promise<fs.FileHandle> {
  const bits = typeof flags === "number" ? flags : MODE_FLAGS[flags];
  if (!NOFOLLOW) refuseLink(file);
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, bits | NOFOLLOW | NONBLOCK, mode);
  } catch (err) {
    throw whyOpenFailed(file, err);
  }
  try {
    if (checkOpened(file, await fh.stat())) await fh.chmod(PRIVATE_FILE_MODE).catch(unlessReadOnly(bits));
    return fh;
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** The whole file as text, read through openPrivate. */
export async function readPrivateFile(file: string): Promise<string> {
  const fh = await openPrivate(file, "r");
  try {
    return await fh.readFile("utf8");
  } finally {
    await fh.close();
  }
}

/** openPrivate for the places that cannot wait (a process's "exit" handler, SQLite's synchronous open): a descriptor. */
export function openPrivateSync(file: string, flags: OpenMode | number, mode = PRIVATE_FILE_MODE): number {
  const bits = typeof flags === "number" ? flags : MODE_FLAGS[flags];
  if (!NOFOLLOW) refuseLink(file);
  let fd: number;
  try {
    fd = openSync(file, bits | NOFOLLOW | NONBLOCK, mode);
  } catch (err) {
    throw whyOpenFailed(file, err);
  }
  try {
    if (checkOpened(file, fstatSync(fd))) {
      try {
        fchmodSync(fd, PRIVATE_FILE_MODE);
      } catch (err) {
        unlessReadOnly(bits)(err);
      }
    }
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** readPrivateFile, synchronously. */
export function readPrivateFileSync(file: string): string {
  const fd = openPrivateSync(file, "r");
  try {
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

/** Throws for a file that is not regular or not ours; says whether its mode lets others in (to be tightened). */
function checkOpened(file: string, st: Stats): boolean {
  if (!st.isFile()) throw new UnsafeFileError(file, "it is not a regular file");
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new UnsafeFileError(file, `it belongs to another user (uid ${st.uid})`);
  return (st.mode & 0o077) !== 0;
}

/** A failed tightening stops a write; a file opened only to read (a read-only disk, say) is still read. */
function unlessReadOnly(bits: number): (err: unknown) => void {
  return (err) => {
    if ((bits & ACCESS_BITS) !== O_RDONLY) throw err;
  };
}

function refuseLink(file: string): void {
  let st: Stats;
  try {
    st = lstatSync(file);
  } catch {
    return; // missing: the open says so (or creates it)
  }
  if (st.isSymbolicLink()) throw new UnsafeFileError(file, "it is a symbolic link");
}

/** O_NOFOLLOW on a symbolic link fails with ELOOP (EMLINK on FreeBSD): said as what it is. */
function whyOpenFailed(file: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== "ELOOP" && code !== "EMLINK") return err;
  const isLink = (() => {
    try {
      return lstatSync(file).isSymbolicLink();
    } catch {
      return false;
    }
  })();
  return isLink ? new UnsafeFileError(file, "it is a symbolic link") : err;
}
