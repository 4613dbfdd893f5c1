// `shearwater stop` says what became of the final checkpoint, with a real recorder process.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listCheckpoints } from "../../src/storage/checkpoints.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { shearwater, tmpDir } from "../launcher/support.ts";

/** A logs folder with a recorder running (no broker listens: it waits for one, which is all these tests need). */
async function recording(): Promise<string> {
  const logsDir = await tmpDir();
  const r = await shearwater(["launch", "--agent", "tester", "--no-menu", "--json", "--logs", logsDir, "--broker", await freeEndpoint()], { logsDir });
  expect(r.code).toBe(0);
  return logsDir;
}

const stop = (logsDir: string, ...args: string[]) => shearwater(["stop", "--logs", logsDir, ...args]);

describe("shearwater stop", () => {
  it("says so when no recorder runs, and when the last agent's recorder was asked to keep running", { timeout: 60_000 }, async () => {
    const empty = await tmpDir();
    expect((await stop(empty)).stdout).toBe(`no recorder is running in ${empty}: nothing to stop\n`);
    const logsDir = await tmpDir();
    const args = ["launch", "--agent", "keeper", "--no-menu", "--keep-running", "--logs", logsDir, "--broker", await freeEndpoint()];
    expect((await shearwater(args, { logsDir })).code).toBe(0);
    expect((await stop(logsDir, "--agent", "keeper")).stdout).toBe("recorder left running, as --keep-running asked\n");
    await stop(logsDir);
  });

  it("names the final checkpoint it took", { timeout: 60_000 }, async () => {
    const logsDir = await recording();
    const r = await stop(logsDir);
    expect(r.code).toBe(0);
    const [final] = await listCheckpoints(logsDir);
    expect(final.label).toBe("final");
    expect(r.stdout).toBe(`recorder stopped: final checkpoint ${final.id} taken\n`);
  });

  it("names the checkpoint that already covers everything when nothing came since, and takes none", { timeout: 60_000 }, async () => {
    const logsDir = await recording();
    const mark = await shearwater(["checkpoint", "mark", "--json", "--logs", logsDir]);
    const { id } = JSON.parse(mark.stdout) as { id: string };
    const r = await stop(logsDir, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ stopped: true, remaining: [], final_checkpoint: { outcome: "covered", checkpoint: id } });
    expect((await listCheckpoints(logsDir)).map((c) => c.id)).toEqual([id]);
    await shearwater(["launch", "--agent", "tester", "--no-menu", "--logs", logsDir, "--broker", await freeEndpoint()], { logsDir });
    await shearwater(["checkpoint", "again", "--logs", logsDir]);
    const [again] = await listCheckpoints(logsDir);
    expect((await stop(logsDir)).stdout).toBe(`recorder stopped: nothing new since checkpoint ${again.id}, which covers everything recorded\n`);
  });

  it("says when nothing was recorded since a new session began", { timeout: 60_000 }, async () => {
    const logsDir = await recording();
    const fresh = await shearwater(["launch", "--agent", "tester", "--new", "--json", "--logs", logsDir], { logsDir });
    const { session } = JSON.parse(fresh.stdout) as { session: string };
    const [saved] = await listCheckpoints(logsDir);
    const r = await stop(logsDir);
    expect(r.stdout).toBe(`recorder stopped: nothing recorded since session ${session} began (the session before it is checkpoint ${saved.id})\n`);
    expect(await listCheckpoints(logsDir)).toHaveLength(1);
  });

  it("says so, and exits 1, when the final checkpoint could not be taken", { timeout: 60_000 }, async () => {
    const logsDir = await recording();
    const checkpoints = path.join(logsDir, "checkpoints");
    await fs.rm(checkpoints, { recursive: true, force: true });
    await fs.writeFile(checkpoints, "not a folder");
    const r = await stop(logsDir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^recorder stopped: no final checkpoint: final checkpoint failed: .+\n$/);
  });
});
