// A logs folder whose sealed session is encrypted to a fresh key (by `compact`, as a user runs it), with an active
// session holding a message of its own; and the executable run with only the at-rest settings given.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { compressedFileOf, encryptedFileOf } from "../../src/storage/sessionSource.ts";
import { ageKeygen } from "../backup/support.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { sealedFolder, type SealedFolder } from "./sealedSession.ts";

const NO_KEYS = { SHEARWATER_AGE_IDENTITY: "", SHEARWATER_PASSPHRASE: "", SHEARWATER_PASSPHRASE_FILE: "", SHEARWATER_ENCRYPT_TO: "", NO_COLOR: "1" };

export function shearwater(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [BIN_PATH, ...args], { encoding: "utf8", timeout: 90_000, maxBuffer: 64 << 20, env: { ...process.env, ...NO_KEYS, ...env } });
}

export async function encryptedFolder(): Promise<SealedFolder & { identity: string; stored: string }> {
  const f = await sealedFolder(await tmpDir(), 300);
  const active = await SessionWriter.open(f.dir);
  await active.append({ kind: "message", topic: "t", payload: { text: "deploying the active database" }, meta: {} });
  await active.close();
  const identity = path.join(await tmpDir(), "key.txt");
  const run = shearwater({ SHEARWATER_ENCRYPT_TO: ageKeygen(identity) }, "compact", "--logs", f.dir);
  expect(run.status, run.stderr).toBe(0);
  return { ...f, identity, stored: encryptedFileOf(compressedFileOf(f.plain)) };
}
