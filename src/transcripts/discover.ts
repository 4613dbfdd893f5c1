// The files an import was pointed at: files as named, folders searched recursively for .jsonl and .json files.
// Inside a folder a symbolic link is not followed (it could lead anywhere, or around in a circle).
import fs from "node:fs/promises";
import path from "node:path";

export interface Found {
  files: string[];
  /** Paths that could not be read, and why. */
  problems: { path: string; reason: string }[];
}

export async function findTranscriptFiles(paths: string[]): Promise<Found> {
  const found: Found = { files: [], problems: [] };
  for (const p of paths) {
    const abs = path.resolve(p);
    const st = await fs.stat(abs).catch((err: NodeJS.ErrnoException) => {
      found.problems.push({ path: abs, reason: err.code === "ENOENT" ? "no such file or folder" : err.message });
      return null;
    });
    if (st?.isDirectory()) await walk(abs, found);
    else if (st?.isFile()) found.files.push(abs);
    else if (st) found.problems.push({ path: abs, reason: "not a file or folder" });
  }
  found.files = [...new Set(found.files)];
  return found;
}

async function walk(dir: string, found: Found): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    found.problems.push({ path: dir, reason: (err as Error).message });
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await walk(full, found);
    else if (e.isFile() && /\.jsonl?$/.test(e.name)) found.files.push(full);
  }
}
