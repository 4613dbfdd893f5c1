// Encryption at rest when things go wrong: kill -9 mid-encryption, a run after a crash between the rename and the
// removal, a damaged or cut encrypted file; and random access (a damaged chunk does not stop the newest lines), the
// encryption after a seal by a running recorder, backups that keep encrypted sessions encrypted.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { backupLogs } from "../../src/backup/backup.ts";
import { restoreBackup } from "../../src/backup/restore.ts";
import { compactLogs } from "../../src/compact/compact.ts";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { sendControl } from "../../src/control/client.ts";
import { readRecorderState } from "../../src/control/recorderStatus.ts";
import { writeEncrypted } from "../../src/crypto/encryptFile.ts";
import { headerLength, NONCE_BYTES, SEALED_CHUNK_BYTES } from "../../src/crypto/ageStream.ts";
import { listCheckpoints, verifyCheckpoint } from "../../src/storage/checkpoints.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { SessionReader, streamEntries } from "../../src/storage/sessionReader.ts";
import { compressedFileOf, encryptedFileOf } from "../../src/storage/sessionSource.ts";
import { ageDecryptWithIdentity, ageKeygen } from "../backup/support.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { bigSealed, sealedFolder, sessionBytes } from "./sealedSession.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function keyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = path.join(await tmpDir(), "key.txt");
  return { identity, recipient: ageKeygen(identity) };
}

/** Where an age file's chunks start: after its header and the 16-byte nonce. */
function payloadStart(bytes: Buffer): number {
  return headerLength(bytes)! + NONCE_BYTES;
}

async function tailOf(file: string): Promise<string[]> {
  const reader = await SessionReader.open(file);
  try {
    return (await reader.tail(3)).map((e) => e.raw);
  } finally {
    await reader.close();
  }
}

/** Flips one byte of a file at `at`. */
async function flipByte(file: string, at: number): Promise<void> {
  const fh = await fs.open(file, "r+");
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, at);
  b[0] ^= 0x55;
  await fh.write(b, 0, 1, at);
  await fh.close();
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("encryption at rest, crash-safe", () => {
  it("kill -9 while encrypting leaves the plain session whole; the next run encrypts it", async () => {
    const dir = await tmpDir();
    const { file, bytes } = await bigSealed(dir, "20261124T010000Z-kill", 48);
    const { identity, recipient } = await keyPair();
    const env = { ...process.env, SHEARWATER_ENCRYPT_TO: recipient };
    const child = spawn(process.execPath, [BIN_PATH, "compact", "--no-compress", "--logs", dir], { stdio: "ignore", env });
    const temp = `${encryptedFileOf(file)}.tmp`;
    await waitFor(async () => ((await fs.stat(temp).catch(() => null))?.size ?? 0) > 4 << 20, { timeoutMs: 20_000, intervalMs: 5 });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(sha(await fs.readFile(file))).toBe(sha(bytes));
    await expect(fs.access(encryptedFileOf(file))).rejects.toThrow();

    const result = await compactLogs(dir, { encryption: { recipients: [recipient] }, compress: false });
    expect(result.compacted).toEqual([expect.objectContaining({ encrypted: true, compressed: false })]);
    expect(await fs.readdir(path.dirname(file))).toEqual([path.basename(encryptedFileOf(file))]);
    const out = path.join(await tmpDir(), "plain.jsonl");
    execFileSync("age", ["-d", "-i", identity, "-o", out, encryptedFileOf(file)]);
    expect(sha(await fs.readFile(out))).toBe(sha(bytes));
  }, 60_000);

  it("an encrypted file left beside its plain one is checked with the reading key, then kept; one that differs is made again", async () => {
    const dir = await tmpDir();
    const { identity, recipient } = await keyPair();
    const kept = await bigSealed(dir, "20261124T010000Z-kept", 1);
    await writeEncrypted(kept.file, encryptedFileOf(kept.file), { recipients: [recipient] });
    const other = await bigSealed(dir, "20261124T010000Z-othr", 1);
    const redone = await bigSealed(dir, "20261124T010000Z-redo", 1);
    await writeEncrypted(other.file, encryptedFileOf(redone.file), { recipients: [recipient] });
    await fs.rm(other.file);
    vi.stubEnv("SHEARWATER_AGE_IDENTITY", identity);
    const result = await compactLogs(dir, { encryption: { recipients: [recipient] }, compress: false });
    expect(result.failed).toEqual([]);
    expect((await fs.readdir(path.dirname(kept.file))).sort()).toEqual([path.basename(encryptedFileOf(kept.file)), path.basename(encryptedFileOf(redone.file))]);
    expect(await sessionBytes(encryptedFileOf(kept.file))).toBe(sha(kept.bytes));
    expect(await sessionBytes(encryptedFileOf(redone.file))).toBe(sha(redone.bytes));
  });

  it("a compressed session is encrypted once encryption is asked, and the .swc goes", async () => {
    const f = await sealedFolder(await tmpDir(), 400);
    const { identity, recipient } = await keyPair();
    await compactLogs(f.dir);
    const swc = compressedFileOf(f.plain);
    const swcBytes = await fs.readFile(swc);
    const result = await compactLogs(f.dir, { encryption: { recipients: [recipient] } });
    expect(result.compacted).toEqual([expect.objectContaining({ file: encryptedFileOf(swc), encrypted: true, compressed: true })]);
    expect(await fs.readdir(path.dirname(f.plain))).toEqual([path.basename(encryptedFileOf(swc))]);
    expect(ageDecryptWithIdentity(encryptedFileOf(swc), identity).equals(swcBytes)).toBe(true);
    expect((await compactLogs(f.dir, { encryption: { recipients: [recipient] } })).compacted).toEqual([]); // nothing left to do
  });
});

describe("a damaged encrypted session", () => {
  it("a damaged compressed session is not encrypted: compact says which block, exits 1, and leaves it as it was", async () => {
    const f = await sealedFolder(await tmpDir(), 400);
    await compactLogs(f.dir);
    const swc = compressedFileOf(f.plain);
    await flipByte(swc, 200);
    const damaged = await fs.readFile(swc);
    const { recipient } = await keyPair();
    const run = spawnSync(process.execPath, [BIN_PATH, "compact", "--logs", f.dir, "--encrypt-to", recipient], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/failed .*\.jsonl: .*block 0 (does not decompress|is damaged)/);
    expect(await fs.readdir(path.dirname(swc))).toEqual([path.basename(swc)]);
    expect((await fs.readFile(swc)).equals(damaged)).toBe(true);
  });

  it("a flipped byte is an error naming the chunk; the chunks before it and the newest lines still read (random access)", async () => {
    const dir = await tmpDir();
    const { file, bytes } = await bigSealed(dir, "20261124T010000Z-dmgd", 2);
    const plainLines = bytes.toString().split("\n");
    const { identity, recipient } = await keyPair();
    await compactLogs(dir, { encryption: { recipients: [recipient] }, compress: false });
    const stored = encryptedFileOf(file);
    vi.stubEnv("SHEARWATER_AGE_IDENTITY", identity);
    const tailBefore = await tailOf(stored);
    await flipByte(stored, payloadStart(await fs.readFile(stored)) + 10 * SEALED_CHUNK_BYTES + 5);
    expect(await tailOf(stored)).toEqual(tailBefore); // the last chunks alone: chunk 10 of 33 is never opened
    const lines: string[] = [];
    await expect(
      (async () => {
        for await (const e of streamEntries(stored)) lines.push(e.raw);
      })(),
    ).rejects.toThrow(/chunk \d+ of \d+ \(bytes \d+ to \d+ of what it holds\) fails authentication: the file is damaged or was altered/);
    expect(lines.every((l, i) => l === plainLines[i])).toBe(true); // at most what came before the damage, never a wrong line

    const run = spawnSync(process.execPath, [BIN_PATH, "export", "--session", "20261124T010000Z-dmgd", "--format", "jsonl", "--logs", dir], {
      encoding: "utf8",
      maxBuffer: 64 << 20,
      env: { ...process.env, SHEARWATER_AGE_IDENTITY: identity },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/chunk 10 of 33 .* fails authentication/);
  });

  it("a file cut short at a chunk boundary, or its header damaged, is refused when opened, with what is wrong", async () => {
    const f = await sealedFolder(await tmpDir(), 400);
    const { identity, recipient } = await keyPair();
    await compactLogs(f.dir, { encryption: { recipients: [recipient] }, compress: false });
    const stored = encryptedFileOf(f.plain);
    const [cp] = (await listCheckpoints(f.dir)).filter((c) => c.session === f.sessionId);
    vi.stubEnv("SHEARWATER_AGE_IDENTITY", identity);
    expect(await verifyCheckpoint(f.dir, cp.id)).toEqual({ ok: true });
    const whole = await fs.readFile(stored);

    const payload = payloadStart(whole);
    await fs.writeFile(stored, whole.subarray(0, payload + 3 * SEALED_CHUNK_BYTES));
    expect((await verifyCheckpoint(f.dir, cp.id)).reason).toMatch(/chunk 2 of 3 .* fails authentication/);

    await fs.writeFile(stored, whole.subarray(0, payload + 3 * SEALED_CHUNK_BYTES + 7));
    expect((await verifyCheckpoint(f.dir, cp.id)).reason).toMatch(/not a header and a whole age payload \(was it cut short\?\)/);

    const header = Buffer.from(whole);
    header[30] ^= 0x01; // inside the recipient's stanza
    await fs.writeFile(stored, header);
    expect((await verifyCheckpoint(f.dir, cp.id)).reason).toMatch(/age header is damaged|cannot be decrypted/);

    await fs.writeFile(stored, Buffer.from("not an age file at all\n"));
    expect((await verifyCheckpoint(f.dir, cp.id)).reason).toMatch(/is not a readable age file: its header is missing or damaged/);
  });
});

describe("encryption after a seal, and backups", () => {
  it("a running recorder's seal encrypts the session with the environment's recipient, even with compression off", async () => {
    const logs = await tmpDir();
    const { identity, recipient } = await keyPair();
    const recorder = spawn(process.execPath, [BIN_PATH, "record", "--logs", logs, "--broker", await freeEndpoint()], {
      stdio: "ignore",
      env: { ...process.env, SHEARWATER_AUTO_COMPACT: "off", SHEARWATER_ENCRYPT_TO: recipient },
    });
    try {
      await waitFor(async () => (await readRecorderState(logs)).alive, { timeoutMs: 15_000 });
      const { sealed } = (await sendControl(logs, "new")) as { sealed: string };
      await waitFor(async () => (await fs.readdir(logsPaths(logs).sessions)).join() === `${sealed}.jsonl.age`, { timeoutMs: 15_000 });
      const plain = ageDecryptWithIdentity(path.join(logsPaths(logs).sessions, `${sealed}.jsonl.age`), identity).toString();
      expect(JSON.parse(plain.split("\n")[0])).toMatchObject({ event: "session_started", session: sealed });
    } finally {
      recorder.kill("SIGKILL");
    }
  });

  it("a backup keeps an encrypted session as it is stored: encrypted, and restored byte for byte", async () => {
    const f = await sealedFolder(await tmpDir(), 400);
    const { identity, recipient } = await keyPair();
    await compactLogs(f.dir, { encryption: { recipients: [recipient] } });
    const stored = encryptedFileOf(compressedFileOf(f.plain));
    const dest = await tmpDir();
    await backupLogs(f.dir, dest);
    const objects = await fs.readdir(path.join(dest, "objects"));
    const backedUp = Buffer.concat(await Promise.all(objects.map((o) => fs.readFile(path.join(dest, "objects", o)))));
    expect(backedUp.includes(await fs.readFile(stored))).toBe(true); // the age file itself, not its plaintext
    const into = path.join(await tmpDir(), "restored");
    await restoreBackup(dest, into, null);
    const restored = path.join(logsPaths(into).sessions, path.basename(stored));
    expect((await fs.readFile(restored)).equals(await fs.readFile(stored))).toBe(true);
    vi.stubEnv("SHEARWATER_AGE_IDENTITY", identity);
    expect(await sessionBytes(restored)).toBe(sha(f.bytes));
  });
});
