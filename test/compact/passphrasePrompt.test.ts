// A passphrase asked for on a real terminal (tmux), never echoed, where one is needed and none is set: `compact
// --passphrase` (typed twice; `age -d` with it gives the session back) and readers (search, view) of a session sealed
// with a passphrase. Without a terminal nothing is asked: bad usage for compact, the key's hint for readers.
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { encryptedFileOf } from "../../src/storage/sessionSource.ts";
import { ageDecryptWithPassphrase } from "../backup/support.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { TmuxTerminal } from "../helpers/tmux.ts";
import { sealedFolder } from "./sealedSession.ts";

const NO_KEYS = { SHEARWATER_AGE_IDENTITY: "", SHEARWATER_PASSPHRASE: "", SHEARWATER_PASSPHRASE_FILE: "", SHEARWATER_ENCRYPT_TO: "", NO_COLOR: "1" };
const PASSPHRASE = "gull over the harbour";

let terminal: TmuxTerminal | null = null;
afterEach(async () => {
  await terminal?.kill();
  terminal = null;
});

async function inTerminal(...args: string[]): Promise<TmuxTerminal> {
  terminal = await TmuxTerminal.start([process.execPath, BIN_PATH, ...args], { columns: 200, rows: 50, env: NO_KEYS });
  return terminal;
}

describe("a passphrase asked for on the terminal", () => {
  it("compact --passphrase asks twice without echo; age -d with it gives the session back; search and view ask for it", async () => {
    const f = await sealedFolder(await tmpDir(), 200);
    const t = await inTerminal("compact", "--passphrase", "--no-compress", "--logs", f.dir);
    await t.see("passphrase to encrypt the sealed sessions with:");
    await t.type(PASSPHRASE);
    await t.keys("Enter");
    await t.see("the same passphrase again:");
    await t.type(PASSPHRASE);
    await t.keys("Enter");
    expect(await t.exited(60_000)).toBe(0);
    expect(await t.screen()).not.toContain(PASSPHRASE);
    const stored = encryptedFileOf(f.plain);
    const out = path.join(await tmpDir(), "plain.jsonl");
    ageDecryptWithPassphrase(stored, PASSPHRASE, out);
    expect((await fs.readFile(out)).equals(f.bytes)).toBe(true);
    await t.kill();

    const search = await inTerminal("search", "--all", "--logs", f.dir, "--limit", "3", "deploying");
    await search.see("passphrase of the encrypted sessions:");
    await search.type(PASSPHRASE);
    await search.keys("Enter");
    expect(await search.exited(60_000)).toBe(0);
    const screen = await search.screen();
    expect(screen.match(/ agent\d → all #\d+ .*\[deploying\] the database/g)).toHaveLength(3);
    expect(screen).not.toContain(PASSPHRASE);
    expect(screen).not.toContain("left out");
    await search.kill();

    const wrong = await inTerminal("view", "--checkpoint", f.checkpoints[0].id, "--logs", f.dir);
    await wrong.see("passphrase of the encrypted sessions:");
    await wrong.type("not it");
    await wrong.keys("Enter");
    expect(await wrong.exited(60_000)).toBe(1);
    expect(await wrong.screen()).toMatch(/cannot be decrypted with the passphrase given/);
  });

  it("asks nothing without a terminal: compact --passphrase is bad usage, a reader says what to set", async () => {
    const f = await sealedFolder(await tmpDir(), 40);
    const env = { ...process.env, ...NO_KEYS };
    const compact = spawnSync(process.execPath, [BIN_PATH, "compact", "--passphrase", "--logs", f.dir], { encoding: "utf8", env, input: `${PASSPHRASE}\n${PASSPHRASE}\n` });
    expect(compact.status).toBe(2);
    expect(compact.stderr).toMatch(/--passphrase asks on a terminal: use --passphrase-file/);
    expect(await fs.readdir(path.dirname(f.plain))).toEqual([path.basename(f.plain)]);

    const pass = path.join(await tmpDir(), "pass.txt");
    await fs.writeFile(pass, `${PASSPHRASE}\n`, { mode: 0o600 });
    const sealed = spawnSync(process.execPath, [BIN_PATH, "compact", "--passphrase-file", pass, "--logs", f.dir], { encoding: "utf8", env });
    expect(sealed.status, sealed.stderr).toBe(0);
    const view = spawnSync(process.execPath, [BIN_PATH, "view", "--checkpoint", f.checkpoints[0].id, "--logs", f.dir], { encoding: "utf8", env, input: `${PASSPHRASE}\n` });
    expect(view.status).toBe(1);
    expect(view.stderr).toMatch(/is encrypted with age: set SHEARWATER_AGE_IDENTITY/);
    expect(view.stderr).not.toMatch(/passphrase of the encrypted sessions/);
  });
});
