// No silent failure of encryption at rest: the recorder refuses bad at-rest settings before it records (bad usage),
// and a compaction after a seal that fails anyway (a recipients file gone since the start, a damaged session) says
// so in recorder.log, in `status` (text and --json) and in the TUI's diagnostics; the session stays as it was.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diagnosticsLines } from "../../components/DiagnosticsPane.tsx";
import { storageSummary } from "../../src/backup/storageSummary.ts";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { sendControl } from "../../src/control/client.ts";
import { readRecorderState } from "../../src/control/recorderStatus.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { compressedFileOf } from "../../src/storage/sessionSource.ts";
import { ageKeygen } from "../backup/support.ts";
import { TmuxTerminal } from "../helpers/tmux.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { CAN_LIMIT_FILE_SIZE, requirePrlimit } from "../helpers/prlimit.ts";
import { bigSealed, sealedFolder } from "./sealedSession.ts";

const NO_KEYS = { SHEARWATER_AGE_IDENTITY: "", SHEARWATER_PASSPHRASE: "", SHEARWATER_PASSPHRASE_FILE: "", SHEARWATER_ENCRYPT_TO: "" };
const envWith = (env: Record<string, string>) => ({ ...process.env, ...NO_KEYS, ...env });

function shearwater(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [BIN_PATH, ...args], { encoding: "utf8", timeout: 60_000, env: envWith(env) });
}

async function recipient(): Promise<string> {
  return ageKeygen(path.join(await tmpDir(), "key.txt"));
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exit = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exit;
}

describe("the outcome of compaction and encryption at rest is never silent", () => {
  it("the recorder (and the TUI) refuse bad at-rest settings with exit 2, before anything is recorded", async () => {
    const dir = await tmpDir();
    const pass = path.join(dir, "pass.txt");
    await fs.writeFile(pass, "words\n", { mode: 0o600 });
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ SHEARWATER_ENCRYPT_TO: "age1notarecipient" }, /"age1notarecipient" is not an age recipient/],
      [{ SHEARWATER_ENCRYPT_TO: await recipient(), SHEARWATER_PASSPHRASE_FILE: pass }, /recipients .* or a passphrase, not both/],
      [{ SHEARWATER_AGE_IDENTITY: path.join(dir, "no-such-key.txt") }, /SHEARWATER_AGE_IDENTITY: .*no-such-key\.txt/],
      [{ SHEARWATER_PASSPHRASE_FILE: path.join(dir, "no-such-pass.txt") }, /SHEARWATER_PASSPHRASE_FILE: .*no-such-pass\.txt/],
    ];
    for (const [env, message] of cases) {
      const logs = path.join(await tmpDir(), "logs");
      const run = shearwater(env, "record", "--logs", logs, "--broker", await freeEndpoint());
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      await expect(fs.stat(logs)).rejects.toMatchObject({ code: "ENOENT" });
    }
    // The TUI starts compactions too (a new session, a load) and a recorder: the same check, before it draws.
    const tui = shearwater({ SHEARWATER_ENCRYPT_TO: "age1notarecipient" }, "tui", "--logs", path.join(dir, "logs"), "--no-recorder");
    expect(tui.status).toBe(2);
    expect(tui.stderr).toMatch(/"age1notarecipient" is not an age recipient/);
  });

  it("a compaction after a seal that fails is written to recorder.log and shown by status and the diagnostics", async () => {
    const logs = await tmpDir();
    const recipients = path.join(await tmpDir(), "recipients.txt");
    await fs.writeFile(recipients, `${await recipient()}\n`, { mode: 0o600 });
    const recorder = spawn(process.execPath, [BIN_PATH, "record", "--logs", logs, "--broker", await freeEndpoint()], {
      stdio: "ignore",
      env: envWith({ SHEARWATER_AUTO_COMPACT: "off", SHEARWATER_ENCRYPT_TO: `@${recipients}` }),
    });
    try {
      await waitFor(async () => (await readRecorderState(logs)).alive, { timeoutMs: 15_000, what: "the recorder" });
      await fs.rm(recipients); // valid at the start; gone by the seal
      const { sealed } = (await sendControl(logs, "new")) as { sealed: string };
      const log = await waitFor(async () => {
        const text = await fs.readFile(logsPaths(logs).recorderLog, "utf8");
        return text.includes("shearwater compact:") ? text : null;
      }, { timeoutMs: 15_000, what: "the compaction's failure in recorder.log" });
      expect(log).toMatch(/^\d{4}-\d\d-\d\dT[^ ]+ shearwater compact: cannot read the recipients file .*recipients\.txt/m);
      expect(await fs.readdir(logsPaths(logs).sessions)).toEqual([`${sealed}.jsonl`]); // left plaintext, whole

      const status = JSON.parse(shearwater({}, "status", "--logs", logs, "--json").stdout);
      expect(status.storage.compaction).toMatchObject({ ok: false, compacted: 0, error: expect.stringMatching(/cannot read the recipients file/) });
      expect(shearwater({}, "status", "--logs", logs).stdout).toMatch(/^compaction: the last one failed at .*cannot read the recipients file/m);
      const lines = diagnosticsLines(null, 0, await storageSummary(logs), "ready", 200);
      expect(lines).toContainEqual({ text: expect.stringMatching(/^compaction: the last one failed .*recipients/), tone: "bad" });
    } finally {
      await stopped(recorder);
    }
  });

  it.skipIf(!CAN_LIMIT_FILE_SIZE)("a write that fails (a file-size limit, as a full disk) is the run's outcome, and the session stays whole", async () => {
    requirePrlimit();
    const logs = await tmpDir();
    const { file, bytes } = await bigSealed(logs, "20261124T010000Z-big1", 4);
    const run = spawnSync("prlimit", ["--fsize=1000000", process.execPath, BIN_PATH, "compact", "--logs", logs], { encoding: "utf8", timeout: 60_000, env: envWith({}) });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/failed .*big1\.jsonl: .*EFBIG/);
    expect(await fs.readdir(logsPaths(logs).sessions)).toEqual([path.basename(file)]); // no temporary file left
    expect((await fs.readFile(file)).equals(bytes)).toBe(true);
    expect((await storageSummary(logs)).compaction).toMatchObject({ ok: false, failed: [{ file, error: expect.stringMatching(/EFBIG/) }] });
  });

  it("the TUI's diagnostics pane, in a real terminal, shows the last compaction's failure", async () => {
    const f = await sealedFolder(await tmpDir(), 40);
    const run = shearwater({ SHEARWATER_ENCRYPT_TO: `@${path.join(f.dir, "gone.txt")}` }, "compact", "--logs", f.dir);
    expect(run.status).toBe(2);
    const t = await TmuxTerminal.start([process.execPath, BIN_PATH, "--no-recorder", "--logs", f.dir], { columns: 200, rows: 50, env: NO_KEYS });
    try {
      await t.see("Messages — current session");
      await t.keys("D");
      await t.see(/compaction: the last one failed at \S+: cannot read the recipients file /); // clipped to the pane
    } finally {
      await t.kill();
    }
  });

  it("a session that cannot be stored is named in status until a run stores it; a good run says how many it stored", async () => {
    const f = await sealedFolder(await tmpDir(), 200);
    expect(shearwater({}, "compact", "--logs", f.dir).status).toBe(0);
    const swc = compressedFileOf(f.plain);
    const damaged = await fs.readFile(swc);
    damaged[100] ^= 0x55;
    await fs.writeFile(swc, damaged);
    const run = shearwater({ SHEARWATER_ENCRYPT_TO: await recipient() }, "compact", "--logs", f.dir, "--quiet");
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/shearwater compact: failed .*\.jsonl: .*block/);
    const failed = (await storageSummary(f.dir)).compaction!;
    expect(failed).toMatchObject({ ok: false, compacted: 0, failed: [{ file: f.plain, error: expect.stringMatching(/block/) }] });
    expect(diagnosticsLines(null, 0, await storageSummary(f.dir), "ready", 200)).toContainEqual({
      text: expect.stringMatching(/^compaction: last at .*, 0 stored, 1 failed: .*\.jsonl: /),
      tone: "bad",
    });

    await fs.rm(swc);
    await fs.writeFile(f.plain, f.bytes, { mode: 0o600 }); // the session back as it was sealed
    expect(shearwater({}, "compact", "--logs", f.dir).status).toBe(0);
    expect((await storageSummary(f.dir)).compaction).toMatchObject({ ok: true, compacted: 1, failed: [] });
    expect(shearwater({}, "status", "--logs", f.dir).stdout).toMatch(/^compaction: last at .*, 1 stored$/m);
  });
});
