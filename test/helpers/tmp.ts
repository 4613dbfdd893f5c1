// Real temporary folders for tests, removed afterwards.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";

const made: string[] = [];

export async function tmpDir(prefix = "shearwater-test-"): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(async () => {
  // A program a test started may still be finishing a write in the folder (an index worker's last batch, a detached
  // compaction): a removal that meets a folder filled meanwhile is tried again.
  await Promise.all(made.splice(0).map((d) => fs.rm(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 })));
});
