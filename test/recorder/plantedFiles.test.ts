// A logs folder where someone else could write (a shared temp folder): links planted in place of its files are
// never followed, files and folders of another user never trusted. The recorder, the launcher and the writer refuse
// them with a clear error, and the files the links point at stay as they were.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureRecorder } from "../../src/launcher/recorderProcess.ts";
import { listCheckpoints } from "../../src/storage/checkpoints.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { writeTranscript } from "../../src/launcher/transcript.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { spawnShearwater, startRecorder } from "./support.ts";

const isRoot = process.getuid?.() === 0;
const OTHER_UID = 65534;
const VICTIM_TEXT = "the victim's own file: never truncated, appended to or replaced\n";

async function victimFile(): Promise<string> {
  const file = path.join(await tmpDir(), "victim.txt");
  await fs.writeFile(file, VICTIM_TEXT);
  return file;
}

/** `shearwater record` into `logs` must exit 1, saying `why`. */
async function recordRefused(logs: string, why: RegExp): Promise<void> {
  const child = spawnShearwater(["record", "--logs", logs, "--broker", await freeEndpoint()]);
  expect((await child.exit).code).toBe(1);
  expect(child.stderr()).toMatch(why);
}

describe("a link planted as current_session.jsonl", () => {
  it("makes the recorder refuse to start, and the file it points at stays untouched", async () => {
    const logs = await tmpDir();
    const victim = await victimFile();
    await fs.symlink(victim, logsPaths(logs).current);
    await recordRefused(logs, /refusing \S*current_session\.jsonl: it is a symbolic link/);
    expect(await fs.readFile(victim, "utf8")).toBe(VICTIM_TEXT);
    await expect(fs.readdir(path.join(logs, "recovery"))).resolves.toEqual([]); // nothing of the victim's copied out
  });

  it("pointing at no file yet, is refused instead of creating the file it points at", async () => {
    const logs = await tmpDir();
    const target = path.join(await tmpDir(), "would-be-created.jsonl");
    await fs.symlink(target, logsPaths(logs).current);
    await expect(SessionWriter.open(logs)).rejects.toThrow(/refusing \S*current_session\.jsonl: it is a symbolic link/);
    await expect(fs.access(target)).rejects.toThrow();
  });

  it("makes a launch fail with the reason instead of hanging or writing", async () => {
    const logs = await tmpDir();
    const victim = await victimFile();
    await fs.symlink(victim, logsPaths(logs).current);
    await expect(ensureRecorder({ logsDir: logs, brokers: [await freeEndpoint()], timeoutMs: 10_000 })).rejects.toThrow(
      /symbolic link/,
    );
    expect(await fs.readFile(victim, "utf8")).toBe(VICTIM_TEXT);
  });
});

describe("links planted as the folder's other files", () => {
  it("are refused (the lock, the recovery log, the recorder's log) or replaced, never followed (status, checkpoints, transcripts)", async () => {
    const logs = await tmpDir();
    const victim = await victimFile();
    const p = logsPaths(logs);

    await fs.symlink(victim, p.lock);
    await recordRefused(logs, /refusing \S*recorder\.lock: it is a symbolic link/);
    await fs.rm(p.lock);

    await fs.symlink(victim, path.join(logs, "recorder.log"));
    await expect(ensureRecorder({ logsDir: logs, brokers: [await freeEndpoint()] })).rejects.toThrow(/recorder\.log: it is a symbolic link/);
    await fs.rm(path.join(logs, "recorder.log"));

    // A torn session makes recovery write to its log: a link there stops it before anything is cut.
    await fs.writeFile(p.current, '{"v":1,"seq":1,"ts":"2026-01-01T00:00:00.000Z","kind":"event","event":"session_started","session":"s"}\n{"v":1,"se');
    await fs.mkdir(p.recovery, { recursive: true });
    await fs.symlink(victim, p.recoveryLog);
    await expect(SessionWriter.open(logs)).rejects.toThrow(/crash_recovery\.jsonl: it is a symbolic link/);
    await fs.rm(p.recoveryLog);

    await fs.symlink(victim, p.status);
    await fs.mkdir(p.checkpoints, { recursive: true });
    const recorder = await startRecorder(logs, await freeEndpoint());
    expect((await fs.lstat(p.status)).isSymbolicLink()).toBe(false); // replaced by the recorder's own status
    recorder.proc.kill("SIGTERM");
    await recorder.exit;

    await fs.symlink(victim, path.join(p.checkpoints, "20260101T000000000Z_planted.json"));
    const unreadable: string[] = [];
    await listCheckpoints(logs, (file, reason) => unreadable.push(`${path.basename(file)}: ${reason}`));
    expect(unreadable).toEqual([expect.stringMatching(/^20260101T000000000Z_planted\.json: refusing .*symbolic link/)]);

    await fs.mkdir(path.join(logs, "transcripts"));
    await fs.symlink(victim, path.join(logs, "transcripts", "claude_code.md"));
    await writeTranscript(logs, "claude_code", { messages: [], lines: [], total: 0 }, { title: "t" });
    expect((await fs.lstat(path.join(logs, "transcripts", "claude_code.md"))).isSymbolicLink()).toBe(false);

    expect(await fs.readFile(victim, "utf8")).toBe(VICTIM_TEXT);
  });

  it("as a folder of the logs folder (sessions/ linked elsewhere) make the recorder refuse", async () => {
    const logs = await tmpDir();
    const elsewhere = await tmpDir();
    await fs.symlink(elsewhere, logsPaths(logs).sessions);
    await recordRefused(logs, /refusing \S*sessions: it is a symbolic link/);
    expect(await fs.readdir(elsewhere)).toEqual([]);
  });
});

describe.runIf(isRoot)("files and folders of another user", () => {
  it("a session file of another user is refused, and left as it is", async () => {
    const logs = await tmpDir();
    await fs.writeFile(logsPaths(logs).current, VICTIM_TEXT, { mode: 0o666 });
    await fs.chown(logsPaths(logs).current, OTHER_UID, OTHER_UID);
    await recordRefused(logs, /refusing \S*current_session\.jsonl: it belongs to another user \(uid 65534\)/);
    expect(await fs.readFile(logsPaths(logs).current, "utf8")).toBe(VICTIM_TEXT);
  });

  it("a logs folder created first by another user is refused", async () => {
    const logs = path.join(await tmpDir(), "shearwater-demo");
    await fs.mkdir(logs, { mode: 0o777 });
    await fs.chown(logs, OTHER_UID, OTHER_UID);
    await recordRefused(logs, /refusing \S*shearwater-demo: it belongs to another user \(uid 65534\)/);
    expect(await fs.readdir(logs)).toEqual([]);
  });
});
