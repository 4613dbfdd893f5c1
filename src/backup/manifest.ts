// What a backup records (docs/SPEC.md part 2, "backup"): per file its size and where its bytes are — segments of
// objects, each with the SHA-256 of its plain bytes — and the objects' names, the SHA-256 of what is stored (the age
// file when encrypted), so a backup can be checked without its key. A manifest comes from outside when restored:
// `checkManifest` refuses anything that is not one, and any path that would leave the folder restored into.
import path from "node:path";

export interface Segment {
  object: string;
  /** Offset of the segment's bytes in the object's plain bytes. */
  at: number;
  length: number;
  sha256: string;
}

export interface BackedUpFile {
  /** Relative to the logs folder, with forward slashes. */
  path: string;
  size: number;
  ino: number;
  mtime_ms: number;
  segments: Segment[];
}

export interface Manifest {
  v: 1;
  id: string;
  created_at: string;
  encrypted: boolean;
  files: BackedUpFile[];
}

/** The plain list of a backup's objects: retention knows what is still needed without any key. */
export interface ObjectList {
  v: 1;
  id: string;
  objects: string[];
}

export const BACKUPS_DIR = "backups";
export const OBJECTS_DIR = "objects";
export const manifestName = (id: string, encrypted: boolean) => `${BACKUPS_DIR}/${id}.manifest.json${encrypted ? ".age" : ""}`;
export const objectListName = (id: string) => `${BACKUPS_DIR}/${id}.objects.json`;
export const objectName = (name: string) => `${OBJECTS_DIR}/${name}`;
const MANIFEST = /^(\d{8}T\d{9}Z(?:-\d+)?)\.manifest\.json(\.age)?$/;

/** The backups in a listing of backups/, oldest first: {id, name, encrypted}. */
export function backupsIn(names: string[]): Array<{ id: string; name: string; encrypted: boolean }> {
  return names
    .map((n) => MANIFEST.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: m[1], name: `${BACKUPS_DIR}/${m[0]}`, encrypted: m[2] !== undefined }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** What may be restored: the conversation's own files, never anything outside the folder. */
const RESTORABLE = /^(current_session\.jsonl|imports\.json|(sessions|checkpoints|recovery|transcripts)\/[^/]+)$/;
const SHA256 = /^[0-9a-f]{64}$/;

export function checkManifest(value: unknown, where: string): Manifest {
  const bad = (why: string) => new Error(`${where} is not a backup manifest: ${why}`);
  const m = value as Manifest;
  if (!m || m.v !== 1 || typeof m.id !== "string" || !Array.isArray(m.files)) throw bad("version, id or files missing");
  for (const f of m.files) {
    if (typeof f?.path !== "string" || !RESTORABLE.test(f.path) || path.posix.normalize(f.path) !== f.path || f.path.includes("..")) {
      throw bad(`a file's path is not one of a logs folder (${JSON.stringify(f?.path)})`);
    }
    if (!Number.isSafeInteger(f.size) || f.size < 0 || !Array.isArray(f.segments)) throw bad(`${f.path}: size or segments missing`);
    let total = 0;
    for (const s of f.segments) {
      if (!SHA256.test(s?.object) || !SHA256.test(s.sha256) || !Number.isSafeInteger(s.at) || s.at < 0 || !Number.isSafeInteger(s.length) || s.length <= 0) {
        throw bad(`${f.path}: a segment is malformed`);
      }
      total += s.length;
    }
    if (total !== f.size) throw bad(`${f.path}: its segments hold ${total} bytes, not ${f.size}`);
  }
  return m;
}
