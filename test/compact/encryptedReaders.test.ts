// Readers of every session say what they left out: `search --all` and `report --all` without a key that opens an
// encrypted session leave it out and say so (how many, which, what to set), and `archive push` ships it as plaintext
// with the identity and, without it, names it and the variable, exits 1, and still pushes every other session.
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { compressedFileOf, encryptedFileOf } from "../../src/storage/sessionSource.ts";
import { ageKeygen } from "../backup/support.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { sealedFolder, type SealedFolder } from "./sealedSession.ts";

const NO_KEYS = { SHEARWATER_AGE_IDENTITY: "", SHEARWATER_PASSPHRASE: "", SHEARWATER_PASSPHRASE_FILE: "", SHEARWATER_ENCRYPT_TO: "", NO_COLOR: "1" };

function shearwater(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [BIN_PATH, ...args], { encoding: "utf8", timeout: 90_000, maxBuffer: 64 << 20, env: { ...process.env, ...NO_KEYS, ...env } });
}

/** A sealed session encrypted to a fresh key, and an active one with a message of its own. */
async function encryptedFolder(): Promise<SealedFolder & { identity: string; stored: string }> {
  const f = await sealedFolder(await tmpDir(), 300);
  const active = await SessionWriter.open(f.dir);
  await active.append({ kind: "message", topic: "t", payload: { text: "deploying the active database" }, meta: {} });
  await active.close();
  const identity = path.join(await tmpDir(), "key.txt");
  const run = shearwater({ SHEARWATER_ENCRYPT_TO: ageKeygen(identity) }, "compact", "--logs", f.dir);
  expect(run.status, run.stderr).toBe(0);
  return { ...f, identity, stored: encryptedFileOf(compressedFileOf(f.plain)) };
}

const LEFT_OUT = (stored: string) =>
  new RegExp(`left out 1 encrypted session \\(${path.basename(stored).replace(/\./g, "\\.")}\\): .*is encrypted with age: set SHEARWATER_AGE_IDENTITY`);

describe("readers of every session and encrypted sessions", () => {
  it("search --all and report --all without the key say how many they left out and what to set; with it, nothing", async () => {
    const f = await encryptedFolder();
    const without = shearwater({}, "search", "--all", "--logs", f.dir, "--limit", "1000", "deploying");
    expect(without.status).toBe(0);
    expect(without.stdout.trim().split("\n")).toHaveLength(1); // the active session's message only
    expect(without.stderr).toMatch(LEFT_OUT(f.stored));
    // With --json, stdout stays the array of hits and the note on stderr is JSON too.
    const json = shearwater({}, "search", "--all", "--logs", f.dir, "--limit", "1000", "--json", "deploying");
    expect(JSON.parse(json.stdout)).toHaveLength(1);
    expect(JSON.parse(json.stderr)).toEqual({ left_out: { encrypted_sessions: 1, files: [f.stored], why: expect.stringMatching(/SHEARWATER_AGE_IDENTITY/) } });
    const withKey = shearwater({ SHEARWATER_AGE_IDENTITY: f.identity }, "search", "--all", "--logs", f.dir, "--limit", "1000", "deploying");
    expect(withKey.stdout.trim().split("\n").length).toBeGreaterThan(100);
    expect(withKey.stderr).toBe("");

    const report = shearwater({}, "report", "--all", "--logs", f.dir, "--json");
    expect(report.status, report.stderr).toBe(0);
    expect(report.stderr).toMatch(LEFT_OUT(f.stored));
    const figures = JSON.parse(report.stdout);
    expect(figures.scope.left_out).toEqual([{ path: f.stored, error: expect.stringMatching(/SHEARWATER_AGE_IDENTITY/) }]);
    expect(figures.messages).toBe(1);
    const opened = shearwater({ SHEARWATER_AGE_IDENTITY: f.identity }, "report", "--all", "--logs", f.dir, "--json");
    expect(opened.stderr).toBe("");
    expect(JSON.parse(opened.stdout).scope.left_out).toBeUndefined();
    expect(JSON.parse(opened.stdout).messages).toBeGreaterThan(300);
  });

  it("archive push: without the key the session is named with the variable (exit 1) and the rest is pushed; with it, its plaintext lines", async () => {
    const f = await encryptedFolder();
    const url = `sqlite:${path.join(await tmpDir(), "archive.db")}`;
    const without = shearwater({}, "archive", "push", "--to", url, "--logs", f.dir, "--json");
    expect(without.status).toBe(1);
    expect(without.stderr).toMatch(new RegExp(`not pushed: ${f.stored.replace(/[.]/g, "\\.")} is encrypted with age: set SHEARWATER_AGE_IDENTITY`));
    const pushed = JSON.parse(without.stdout);
    expect(pushed).toMatchObject({ records: 2, sessions: 1, locked: [{ path: f.stored }] }); // the active session's two records

    const withKey = shearwater({ SHEARWATER_AGE_IDENTITY: f.identity }, "archive", "push", "--to", url, "--logs", f.dir, "--json");
    expect(withKey.status, withKey.stderr).toBe(0);
    expect(JSON.parse(withKey.stdout)).toMatchObject({ sessions: 1, locked: [] });
    const view = shearwater({}, "view", "--archive", url, "--session", f.sessionId, "--json");
    expect(view.status, view.stderr).toBe(0);
    // The lines as recorded (a terminal gets their control characters escaped, which parse back the same).
    const records = (text: string) => text.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(records(view.stdout)).toEqual(records(f.bytes.toString("utf8")));
    expect(await fs.readdir(path.dirname(f.plain))).toEqual([path.basename(f.stored)]); // still encrypted at rest
  });
});
