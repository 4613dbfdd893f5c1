// Where backups go: a folder, or any rclone remote (`name:path`, `:backend:path`) when rclone is installed. Objects are
// whole files, written once under a name and never changed; a folder gets each one atomically (temp, sync, rename).
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { fsyncDir, writeFileAtomic } from "../storage/atomicFile.ts";
import { ensurePrivateDir } from "../storage/logsDir.ts";
import { readPrivateBytes } from "./privateBytes.ts";

export interface BackupStore {
  /** Where it is, as the user named it. */
  readonly where: string;
  put(name: string, data: Buffer): Promise<void>;
  get(name: string): Promise<Buffer>;
  /** The names in a folder of the store ([] when it does not exist). */
  list(dir: string): Promise<string[]>;
  remove(name: string): Promise<void>;
}

/** `remote:path` and `:backend:path` are rclone's; anything else (a path) is a folder. */
export function isRcloneRemote(dest: string): boolean {
  return /^(:[A-Za-z0-9_-]+|[A-Za-z0-9_][A-Za-z0-9_.\- ]*):/.test(dest) && !path.isAbsolute(dest);
}

export function openStore(dest: string): BackupStore {
  return isRcloneRemote(dest) ? new RcloneStore(dest) : new FolderStore(path.resolve(dest));
}

class FolderStore implements BackupStore {
  constructor(readonly where: string) {}

  async put(name: string, data: Buffer): Promise<void> {
    const file = path.join(this.where, name);
    await ensurePrivateDir(this.where);
    await ensurePrivateDir(path.dirname(file));
    await writeFileAtomic(file, data);
    await fsyncDir(path.dirname(file));
  }

  get(name: string): Promise<Buffer> {
    return readPrivateBytes(path.join(this.where, name));
  }

  async list(dir: string): Promise<string[]> {
    return fs.readdir(path.join(this.where, dir)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return [];
      throw err;
    });
  }

  async remove(name: string): Promise<void> {
    await fs.rm(path.join(this.where, name), { force: true });
  }
}

export class RcloneMissingError extends Error {}

/** A real tool for the cloud: rclone does the transfers, retries and credentials of every provider it knows. */
class RcloneStore implements BackupStore {
  constructor(readonly where: string) {}

  async put(name: string, data: Buffer): Promise<void> {
    await this.#rclone(["rcat", this.#at(name)], data);
  }

  get(name: string): Promise<Buffer> {
    return this.#rclone(["cat", this.#at(name)]);
  }

  async list(dir: string): Promise<string[]> {
    const out = await this.#rclone(["lsf", "--files-only", this.#at(dir)]).catch((err: Error) => {
      if (/directory not found|not found/i.test(err.message)) return Buffer.alloc(0);
      throw err;
    });
    return out.toString("utf8").split("\n").filter(Boolean);
  }

  async remove(name: string): Promise<void> {
    await this.#rclone(["deletefile", this.#at(name)]);
  }

  #at(name: string): string {
    return `${this.where.replace(/\/+$/, "")}/${name}`;
  }

  #rclone(args: string[], input?: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = execFile("rclone", args, { encoding: "buffer", maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        if ((err as NodeJS.ErrnoException).code === "ENOENT") {
          return reject(new RcloneMissingError(`${this.where} is an rclone remote, and rclone is not installed (on Debian: apt-get install rclone)`));
        }
        reject(new Error(`rclone ${args[0]} ${args[1]} failed: ${stderr.toString("utf8").trim().split("\n").at(-1) || err.message}`));
      });
      child.stdin?.end(input);
    });
  }
}
