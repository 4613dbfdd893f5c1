// Shared by the backup tests: a logs folder's conversation files as bytes, to compare a restore with what was
// backed up, and the `age` command-line tool (Debian's `age` package) run as a user would.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { logsFiles } from "../../src/backup/backupFiles.ts";

const digest = (b: Buffer) => `${b.length} bytes, sha256 ${createHash("sha256").update(b).digest("hex")}`;

/** {relative path: size and SHA-256} of what a backup of `dir` covers. */
export async function conversationFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await logsFiles(dir)) out[f.rel] = digest((await fs.readFile(f.abs)).subarray(0, f.size));
  return out;
}

/** Every file under `dir`, as {relative path: size and SHA-256}. */
export async function allFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const abs = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, abs)] = digest(await fs.readFile(abs));
    }
  }
  return out;
}

export function ageKeygen(file: string): string {
  execFileSync("age-keygen", ["-o", file], { stdio: "ignore" });
  return execFileSync("age-keygen", ["-y", file], { encoding: "utf8" }).trim();
}

export function ageDecryptWithIdentity(file: string, identity: string): Buffer {
  return execFileSync("age", ["-d", "-i", identity, file]);
}

/** age reads a passphrase from the terminal only: `script` gives it one whose input is the passphrase. */
export function ageDecryptWithPassphrase(file: string, passphrase: string, out: string): void {
  const run = spawnSync("script", ["-qec", `age -d -o '${out}' '${file}'`, "/dev/null"], { input: `${passphrase}\n`, timeout: 30_000 });
  if (run.status !== 0) throw new Error(`age -d failed: ${run.stdout}${run.stderr}`);
}
