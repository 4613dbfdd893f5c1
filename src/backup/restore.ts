// `shearwater restore SRC --logs DIR`: the newest backup at SRC rebuilt, byte for byte, into a folder that does not
// exist or is empty. Everything is written into a temporary folder beside DIR and checked — every object's stored
// hash, every segment's plain hash, every file's size — and only then renamed into place: a wrong key, a damaged
// or missing object leaves nothing restored, with the reason.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { fsyncDir } from "../storage/atomicFile.ts";
import { PRIVATE_DIR_MODE } from "../storage/logsDir.ts";
import { openPrivate } from "../storage/privateFile.ts";
import { writeAll } from "../storage/positionedWrite.ts";
import { decrypt, type Decryption } from "../crypto/ageCrypto.ts";
import { backupsIn, BACKUPS_DIR, checkManifest, objectName, type Manifest } from "./manifest.ts";
import { openStore, type BackupStore } from "./store.ts";

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

export class RestoreRefusedError extends Error {}

export interface RestoreReport {
  id: string;
  files: number;
  bytes: number;
  dir: string;
}

export async function restoreBackup(src: string, dir: string, key: Decryption | null): Promise<RestoreReport> {
  const target = path.resolve(dir);
  await refuseNonEmpty(target);
  const store = openStore(src);
  const manifest = await newestManifest(store, key);
  const staging = await fs.mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}.restoring-`));
  try {
    await fs.chmod(staging, PRIVATE_DIR_MODE);
    const bytes = await writeFiles(store, manifest, staging, key);
    await refuseNonEmpty(target); // nothing appeared meanwhile
    await fs.rmdir(target).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err;
    });
    await fs.rename(staging, target);
    await fsyncDir(path.dirname(target));
    return { id: manifest.id, files: manifest.files.length, bytes, dir: target };
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  }
}

async function refuseNonEmpty(dir: string): Promise<void> {
  const names = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [];
    throw err;
  });
  if (names.length > 0) throw new RestoreRefusedError(`${dir} is not empty: restore writes only into a new or empty folder`);
}

async function newestManifest(store: BackupStore, key: Decryption | null): Promise<Manifest> {
  const newest = backupsIn(await store.list(BACKUPS_DIR)).at(-1);
  if (!newest) throw new Error(`${store.where} holds no complete backup (no ${BACKUPS_DIR}/*.manifest.json)`);
  let data = await store.get(newest.name);
  if (newest.encrypted) {
    if (!key) throw new RestoreRefusedError(`backup ${newest.id} is encrypted: give --identity FILE or --passphrase-file FILE`);
    data = await decrypt(data, key, `backup ${newest.id}'s manifest`);
  }
  let value: unknown;
  try {
    value = JSON.parse(data.toString("utf8"));
  } catch (err) {
    throw new Error(`${newest.name} at ${store.where} does not parse: ${(err as Error).message}`);
  }
  return checkManifest(value, `${newest.name} at ${store.where}`);
}

/** Each object fetched once, checked, and its segments written where they belong; returns the files' bytes. */
async function writeFiles(store: BackupStore, manifest: Manifest, into: string, key: Decryption | null): Promise<number> {
  const wanted = new Map<string, Array<{ file: string; offset: number; at: number; length: number; sha256: string }>>();
  for (const f of manifest.files) {
    let offset = 0;
    for (const s of f.segments) {
      if (!wanted.has(s.object)) wanted.set(s.object, []);
      wanted.get(s.object)!.push({ file: f.path, offset, at: s.at, length: s.length, sha256: s.sha256 });
      offset += s.length;
    }
  }
  // Files are opened for each write, not kept open: a logs folder may hold thousands of checkpoints.
  for (const f of manifest.files) {
    await fs.mkdir(path.dirname(path.join(into, f.path)), { recursive: true, mode: PRIVATE_DIR_MODE });
    await (await openPrivate(path.join(into, f.path), "wx")).close();
  }
  for (const [name, segments] of wanted) {
    let data = await store.get(objectName(name)).catch((err: Error) => {
      throw new Error(`object ${name} of backup ${manifest.id} cannot be read from ${store.where}: ${err.message}`);
    });
    if (sha256(data) !== name) throw new Error(`object ${name} of backup ${manifest.id} is damaged (its hash differs)`);
    if (manifest.encrypted) data = await decrypt(data, key!, `object ${name}`);
    for (const s of segments) {
      const piece = data.subarray(s.at, s.at + s.length);
      if (piece.length !== s.length || sha256(piece) !== s.sha256) throw new Error(`${s.file}: bytes ${s.offset}… of backup ${manifest.id} are damaged`);
      const fh = await openPrivate(path.join(into, s.file), "r+");
      try {
        await writeAll(fh, [piece], s.offset);
      } finally {
        await fh.close();
      }
    }
  }
  for (const f of manifest.files) {
    const fh = await openPrivate(path.join(into, f.path), "r+");
    try {
      const { size } = await fh.stat();
      if (size !== f.size) throw new Error(`${f.path}: restored ${size} bytes, the backup holds ${f.size}`);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
  for (const d of new Set(manifest.files.map((f) => path.dirname(path.join(into, f.path))))) await fsyncDir(d);
  return manifest.files.reduce((n, f) => n + f.size, 0);
}
