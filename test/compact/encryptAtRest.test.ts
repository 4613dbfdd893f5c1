// Encryption at rest: sealed sessions stored as standard age files (the `age` tool decrypts them), read everywhere as
// the plain session with the identity or passphrase of the environment, and a clear error without it or when damaged.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compactLogs } from "../../src/compact/compact.ts";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { indexOnce } from "../../src/search/indexer.ts";
import { indexPath } from "../../src/search/indexStore.ts";
import { searchAll } from "../../src/search/search.ts";
import { checkpointEntries, listCheckpoints, sessionFileOf, verifyCheckpoint } from "../../src/storage/checkpoints.ts";
import { streamEntries, type Entry } from "../../src/storage/sessionReader.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { compressedFileOf, encryptedFileOf, openCompressedSession } from "../../src/storage/sessionSource.ts";
import { sha256Of } from "../../src/storage/sourceHash.ts";
import { ageDecryptWithIdentity, ageDecryptWithPassphrase, ageKeygen } from "../backup/support.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { sealedFolder } from "./sealedSession.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const shape = (e: Entry) => ({ index: e.index, offset: e.offset, length: e.length, raw: e.raw, damaged: e.damaged });
const NO_KEYS = { SHEARWATER_AGE_IDENTITY: "", SHEARWATER_PASSPHRASE: "", SHEARWATER_PASSPHRASE_FILE: "", SHEARWATER_ENCRYPT_TO: "" };

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The executable as a user runs it, with these settings in its environment (no others of the test's). */
function shearwater(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [BIN_PATH, ...args], { encoding: "utf8", timeout: 60_000, maxBuffer: 64 << 20, env: { ...process.env, ...NO_KEYS, ...env } });
}

/** Every word the search index holds, in plaintext. */
function indexedTerms(dir: string): string[] {
  const db = new Database(indexPath(dir), { readonly: true });
  try {
    return (db.prepare("SELECT term FROM vocab WHERE col = 'text'").all() as Array<{ term: string }>).map((r) => r.term);
  } finally {
    db.close();
  }
}

async function keyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = path.join(await tmpDir(), "key.txt");
  return { identity, recipient: ageKeygen(identity) };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("encryption at rest", () => {
  it("stores a sealed session as age over its compressed file: age -d gives the .swc, readers with the identity the same lines", async () => {
    const f = await sealedFolder(await tmpDir());
    const linesBefore = (await all(streamEntries(f.plain))).map(shape);
    const cps = await listCheckpoints(f.dir);
    const { identity, recipient } = await keyPair();
    const result = await compactLogs(f.dir, { encryption: { recipients: [recipient] } });
    const stored = encryptedFileOf(compressedFileOf(f.plain));
    expect(result.compacted).toEqual([expect.objectContaining({ file: stored, size: f.bytes.length, compressed: true, encrypted: true })]);
    expect(await fs.readdir(path.dirname(f.plain))).toEqual([path.basename(stored)]); // no plain copy, no temporary file
    expect((await fs.stat(stored)).mode & 0o777).toBe(0o600);
    expect((await fs.readFile(stored)).includes(Buffer.from("deploying the database"))).toBe(false);

    // The standard tool: what it decrypts is the compressed file, which reads as the session's bytes.
    const swc = path.join(await tmpDir(), "out.jsonl.swc");
    await fs.writeFile(swc, ageDecryptWithIdentity(stored, identity), { mode: 0o600 });
    const compressed = await openCompressedSession(swc);
    expect(await sha256Of(compressed, compressed.index.size)).toBe(sha(f.bytes));
    await compressed.close();

    vi.stubEnv("SHEARWATER_AGE_IDENTITY", identity);
    expect(await sessionFileOf(f.dir, f.sessionId)).toBe(stored);
    expect((await all(streamEntries(stored))).map(shape)).toEqual(linesBefore);
    for (const c of cps.filter((c) => c.session === f.sessionId)) {
      expect(await verifyCheckpoint(f.dir, c.id)).toEqual({ ok: true });
      expect((await all(checkpointEntries(f.dir, c.id))).length).toBe(c.records);
    }
  });

  it("without a key, or with another one, says what is needed; checkpoints into it fail verification with that reason", async () => {
    const f = await sealedFolder(await tmpDir(), 400);
    const { recipient } = await keyPair();
    const other = await keyPair();
    await compactLogs(f.dir, { encryption: { recipients: [recipient] } });
    const [cp] = (await listCheckpoints(f.dir)).filter((c) => c.session === f.sessionId);
    vi.stubEnv("SHEARWATER_AGE_IDENTITY", "");
    expect(await verifyCheckpoint(f.dir, cp.id)).toEqual({ ok: false, reason: expect.stringMatching(/is encrypted with age: set SHEARWATER_AGE_IDENTITY/) });
    vi.stubEnv("SHEARWATER_AGE_IDENTITY", other.identity);
    expect(await verifyCheckpoint(f.dir, cp.id)).toEqual({ ok: false, reason: expect.stringMatching(/cannot be decrypted with the identity given/) });
  });

  it("from the command line: view, search and export with the identity; exit 1 and a clear message without it", async () => {
    const f = await sealedFolder(await tmpDir(), 400);
    const { identity, recipient } = await keyPair();
    const exportArgs = ["export", "--session", f.sessionId, "--format", "jsonl", "--logs", f.dir, "--no-redact"];
    const exportedBefore = shearwater({}, ...exportArgs).stdout;
    const recipients = path.join(await tmpDir(), "recipients.txt");
    await fs.writeFile(recipients, `# mine\n${recipient}\n`);
    const run = shearwater({ SHEARWATER_ENCRYPT_TO: `@${recipients}` }, "compact", "--logs", f.dir, "--json");
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).compacted).toEqual([expect.objectContaining({ encrypted: true })]);
    const [cp] = (await listCheckpoints(f.dir)).filter((c) => c.session === f.sessionId);
    expect(await fs.readdir(path.dirname(f.plain))).toEqual([path.basename(encryptedFileOf(compressedFileOf(f.plain)))]);

    const key = { SHEARWATER_AGE_IDENTITY: identity };
    const view = shearwater(key, "view", "--logs", f.dir, "--checkpoint", cp.id, "--json");
    expect(view.status, view.stderr).toBe(0);
    expect(view.stdout.trim().split("\n")).toHaveLength(cp.records);
    const search = shearwater(key, "search", "deploying", "--all", "--logs", f.dir, "--json");
    expect(search.status, search.stderr).toBe(0);
    expect(search.stdout).toMatch(/deploying the database/);
    const exported = shearwater(key, ...exportArgs);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout.length).toBeGreaterThan(1000);
    expect(exported.stdout).toBe(exportedBefore);

    const status = shearwater(key, "status", "--logs", f.dir);
    expect(status.stdout).toMatch(/^sealed: {3}1 sessions, 1 compressed, 1 encrypted: .* \(\d+(\.\d+)?×\)$/m);

    const refused = shearwater({}, "view", "--logs", f.dir, "--checkpoint", cp.id);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/is encrypted with age: set SHEARWATER_AGE_IDENTITY/);
    expect(refused.stderr).not.toMatch(/\n\s+at /); // a message, not a stack
    const other = await keyPair();
    const wrong = shearwater({ SHEARWATER_AGE_IDENTITY: other.identity }, "view", "--logs", f.dir, "--checkpoint", cp.id);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/cannot be decrypted with the identity given: no identity matched/);
    expect(wrong.stdout).toBe("");
  }, 60_000);

  it("search with the identity gets the same hits through the index (not indexed again); without it, the session is left out", async () => {
    const f = await sealedFolder(await tmpDir(), 400);
    const { identity, recipient } = await keyPair();
    await indexOnce(f.dir);
    const before = await searchAll(f.dir, "deploying database", { scope: "all", limit: 5000 });
    expect(before.length).toBeGreaterThan(100);
    await compactLogs(f.dir, { encryption: { recipients: [recipient] } });
    vi.stubEnv("SHEARWATER_AGE_IDENTITY", identity);
    await indexOnce(f.dir);
    const after = await searchAll(f.dir, "deploying database", { scope: "all", limit: 5000 });
    expect(after.every((h) => h.source === "index")).toBe(true);
    expect(after).toEqual(before);
    vi.stubEnv("SHEARWATER_AGE_IDENTITY", "");
    expect(await searchAll(f.dir, "deploying database", { scope: "all", limit: 5000 })).toEqual([]);
  });

  it("--drop-index: no word of an encrypted session stays in the index, and one rebuilt without the key holds none", async () => {
    const f = await sealedFolder(await tmpDir(), 400);
    const { recipient } = await keyPair();
    const active = await SessionWriter.open(f.dir);
    await active.append({ kind: "message", topic: "t", payload: { text: "the active session stays plaintext" }, meta: {} });
    await active.close();
    await indexOnce(f.dir);
    expect(indexedTerms(f.dir)).toContain("deploying");
    const run = shearwater({ SHEARWATER_ENCRYPT_TO: recipient }, "compact", "--drop-index", "--logs", f.dir);
    expect(run.status, run.stderr).toBe(0);
    await expect(fs.access(indexPath(f.dir))).rejects.toThrow();
    await indexOnce(f.dir);
    expect(indexedTerms(f.dir)).toContain("plaintext"); // the active session's words
    expect(indexedTerms(f.dir)).not.toContain("deploying");
  });

  it("a recipient that is not one, or recipients and a passphrase at once, is bad usage, before anything is written", async () => {
    const f = await sealedFolder(await tmpDir(), 40);
    const pass = path.join(await tmpDir(), "pass.txt");
    await fs.writeFile(pass, "secret words\n", { mode: 0o600 });
    const { recipient } = await keyPair();
    for (const [env, message] of [
      [{ SHEARWATER_ENCRYPT_TO: "age1notarecipient" }, /"age1notarecipient" is not an age recipient/],
      [{ SHEARWATER_ENCRYPT_TO: `@${pass}.missing` }, /cannot read the recipients file/],
      [{ SHEARWATER_ENCRYPT_TO: recipient, SHEARWATER_PASSPHRASE_FILE: pass }, /recipients .* or a passphrase, not both/],
    ] as const) {
      const run = shearwater(env, "compact", "--logs", f.dir);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(await fs.readdir(path.dirname(f.plain))).toEqual([path.basename(f.plain)]);
    }
  });

  it("with a passphrase and without compression: .jsonl.age, which `age -d` turns back into the plain session", async () => {
    const f = await sealedFolder(await tmpDir(), 400);
    const pass = path.join(await tmpDir(), "pass.txt");
    await fs.writeFile(pass, "correct horse battery staple\n", { mode: 0o600 });
    const run = shearwater({ SHEARWATER_PASSPHRASE_FILE: pass }, "compact", "--no-compress", "--logs", f.dir, "--json");
    expect(run.status, run.stderr).toBe(0);
    const stored = encryptedFileOf(f.plain);
    expect(await fs.readdir(path.dirname(f.plain))).toEqual([path.basename(stored)]);
    const out = path.join(await tmpDir(), "plain.jsonl");
    ageDecryptWithPassphrase(stored, "correct horse battery staple", out);
    expect(sha(await fs.readFile(out))).toBe(sha(f.bytes));

    const [cp] = (await listCheckpoints(f.dir)).filter((c) => c.session === f.sessionId);
    vi.stubEnv("SHEARWATER_PASSPHRASE", "correct horse battery staple");
    expect(await verifyCheckpoint(f.dir, cp.id)).toEqual({ ok: true });
    vi.stubEnv("SHEARWATER_PASSPHRASE", "wrong");
    expect((await verifyCheckpoint(f.dir, cp.id)).reason).toMatch(/cannot be decrypted with the passphrase given/);
  }, 60_000);
});
