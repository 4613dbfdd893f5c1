// A recorder never ends silently: a crash leaves its reason in the status and recorder.log, a stop cut short by its
// deadline says what it did not write, and the next recorder on the session writes the gap event for both.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readRecorderState, readRecorderStatus } from "../../src/control/recorderStatus.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { recorderOnHangingDisk } from "./hangingDisk.ts";
import { eventsOf, readSession, startRecorder } from "./support.ts";

const CRASHING = fileURLToPath(new URL("./fixtures/crashingRecorder.ts", import.meta.url));

describe("a recorder's last words", () => {
  it("on an error nobody caught: status crashed with the reason, recorder.log the stack, exit 1; the next one writes the gap", async () => {
    const logs = await tmpDir();
    const child = spawn(process.execPath, ["--import", "tsx", CRASHING, logs], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, stderr).toBe(1);

    const state = await readRecorderState(logs);
    expect(state).toMatchObject({ alive: false, reason: expect.stringMatching(/^crashed at .*boom: a bug nobody caught/) });
    expect(state.status).toMatchObject({ state: "crashed", unwritten: { reason: expect.stringMatching(/the recorder crashed: boom/) } });
    const lost = state.status!.unwritten!.records;
    expect(lost).toBeGreaterThanOrEqual(5); // the messages (and an event that came with them)
    expect(await fs.readFile(logsPaths(logs).recorderLog, "utf8")).toMatch(/recorder \d+ crashed: Error: boom: a bug nobody caught\n\s+at /);

    await startRecorder(logs, await freeEndpoint());
    const [gap] = eventsOf(await readSession(logs), "gap");
    expect(gap).toMatchObject({ dropped: lost, reason: expect.stringMatching(/not written before recorder \d+ stopped: the recorder crashed: boom/) });
  });

  it("on a stop whose writes do not finish in time: it ends by its deadline, and the status and the next recorder say what was lost", async () => {
    const logs = await tmpDir();
    const { recorder, pub, disk } = await recorderOnHangingDisk(logs);
    disk.hang(); // the disk stops answering
    for (let i = 0; i < 7; i++) await pub.send(JSON.stringify({ sender: "a", i }));
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    await recorder.stop({ deadlineMs: 800 });
    expect(performance.now() - t0).toBeLessThan(2_500); // the capture's drain, then the deadline
    pub.close();

    const status = await readRecorderStatus(logs);
    expect(status).toMatchObject({ state: "stopped", unwritten: { records: expect.any(Number), reason: expect.stringMatching(/did not finish within/) } });
    expect(status!.unwritten!.records).toBeGreaterThanOrEqual(7); // the messages, and the events after them
    expect(status!.errors.map((e) => e.message).join("\n")).toMatch(/records received from .* were not written/);

    await startRecorder(logs, await freeEndpoint());
    const [gap] = eventsOf(await readSession(logs), "gap");
    expect(gap).toMatchObject({ dropped: status!.unwritten!.records, from_ts: status!.unwritten!.from_ts, to_ts: status!.unwritten!.to_ts });
  });
});
