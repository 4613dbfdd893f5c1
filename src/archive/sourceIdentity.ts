// Each logs folder is one source of an archive, known by an id made once and kept in `source.json` (owner-only),
// so a folder keeps its identity when it is moved or its host renamed, and two folders never share one.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ensureLogsDir, logsPaths } from "../storage/logsDir.ts";
import { openPrivate, readPrivateFile } from "../storage/privateFile.ts";
import { fsyncDir } from "../storage/atomicFile.ts";

export interface SourceInfo {
  id: string;
  host: string;
  /** The logs folder's absolute path on its host. */
  folder: string;
}

export function sourceFile(logsDir: string): string {
  return path.join(logsPaths(logsDir).root, "source.json");
}

/** The logs folder's source: its id (created on first use), this host's name and the folder. */
export async function sourceOf(logsDir: string): Promise<SourceInfo> {
  const root = (await ensureLogsDir(logsDir)).root;
  return { id: await sourceId(logsDir), host: os.hostname(), folder: root };
}

async function sourceId(logsDir: string): Promise<string> {
  const file = sourceFile(logsDir);
  const existing = await readId(file);
  if (existing) return existing;
  // Written whole under a temporary name, then linked into place: link() fails when the name exists, so of two
  // processes creating it at once one wins and both read the winner's id; nobody ever reads a half-written file.
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    const fh = await openPrivate(tmp, "wx");
    try {
      await fh.writeFile(`${JSON.stringify({ v: 1, id: randomUUID(), created_at: new Date().toISOString() })}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.link(tmp, file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "EEXIST") throw err;
    });
  } finally {
    await fs.rm(tmp, { force: true });
  }
  await fsyncDir(path.dirname(file));
  const id = await readId(file);
  if (!id) throw new Error(`${file} holds no source id`);
  return id;
}

async function readId(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await readPrivateFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  let id: unknown;
  try {
    id = (JSON.parse(text) as { id?: unknown }).id;
  } catch {
    id = undefined;
  }
  if (typeof id !== "string" || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new Error(`${file} is damaged (no source id in it): restore it, or remove it to give this logs folder a new identity`);
  }
  return id;
}
