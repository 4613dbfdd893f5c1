// The recorder under faults: broker restarts, SIGKILL, a second recorder, write errors, bad flags.
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readRecorderState } from "../../src/control/recorderStatus.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { CAN_LIMIT_FILE_SIZE, requirePrlimit } from "../helpers/prlimit.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { bindPublisher, eventsOf, messagesOf, readSession, spawnShearwater, startRecorder, waitForMessages } from "./support.ts";
import { shearwaterSync } from "../helpers/cli.ts";

const cli = shearwaterSync;
const msg = (i: number) => JSON.stringify({ sender: "p", seq: i, text: `n${i}` });

describe("recorder faults", () => {
  it("keeps recording across a broker restart, with events, and records the gap a sender's numbering shows", async () => {
    const logs = await tmpDir();
    const ep = await freeEndpoint();
    await startRecorder(logs, ep);
    let pub = await bindPublisher(ep);
    for (let i = 1; i <= 100; i++) await pub.send(msg(i));
    await waitForMessages(logs, 100);
    pub.close();
    await waitFor(async () => eventsOf(await readSession(logs), "broker_disconnected").length === 1, { what: "the disconnect event" });
    pub = await bindPublisher(ep); // the broker is back on the same endpoint; messages 101–110 were "lost"
    for (let i = 111; i <= 200; i++) await pub.send(msg(i));
    const recs = await waitForMessages(logs, 190);
    expect(messagesOf(recs).map((r) => (r.payload as { seq: number }).seq)).toEqual([...Array(100).keys(), ...Array(90).keys()].map((k, j) => (j < 100 ? k + 1 : k + 111)));
    expect(eventsOf(recs, "broker_connected")).toHaveLength(2);
    expect(eventsOf(recs, "gap")).toMatchObject([{ sender: "p", expected: 101, received: 111, missing: 10 }]);
    await waitFor(async () => (await readRecorderState(logs)).status?.state === "recording", { what: "state recording" });
  });

  it("after SIGKILL, the next start recovers a torn tail and loses nothing that was durable", async () => {
    const logs = await tmpDir();
    const ep = await freeEndpoint();
    const first = await startRecorder(logs, ep);
    const pub = await bindPublisher(ep);
    for (let i = 1; i <= 500; i++) await pub.send(msg(i));
    await waitForMessages(logs, 500);
    first.proc.kill("SIGKILL");
    await first.exit;
    expect(await readRecorderState(logs)).toMatchObject({ alive: false, reason: expect.stringMatching(/is not running \(it did not stop cleanly\)/) });
    const torn = (await readSession(logs)).length + 1;
    await fs.appendFile(logsPaths(logs).current, `{"v":1,"seq":${torn},"ts":"2026-`); // a write cut short by the crash
    const second = await startRecorder(logs, ep);
    await pub.receive(); // the second recorder's subscription: sent before it, a message would be dropped by the publisher
    for (let i = 501; i <= 510; i++) await pub.send(msg(i));
    const recs = await waitForMessages(logs, 510);
    expect(messagesOf(recs).map((r) => (r.payload as { seq: number }).seq)).toEqual([...Array(510).keys()].map((k) => k + 1));
    // Numbered on without a hole or a repeat, but for the torn line's seq: it was written once, so it is not given again.
    expect(recs.map((r) => r.seq)).toEqual(recs.map((_, i) => (i + 1 < torn ? i + 1 : i + 2)));
    expect(eventsOf(recs, "recovered")).toHaveLength(1);
    expect(recs[torn - 1]).toMatchObject({ seq: torn + 1, event: "recovered" });
    expect(await fs.readFile(logsPaths(logs).recoveryLog, "utf8")).toContain("partial last line");
    expect((await readRecorderState(logs)).status).toMatchObject({ pid: second.proc.pid, recoveries: 1 });
  });

  it("refuses a second recorder on the same folder, naming the running one", async () => {
    const logs = await tmpDir();
    const ep = await freeEndpoint();
    const first = await startRecorder(logs, ep);
    const second = spawnShearwater(["record", "--logs", logs, "--broker", ep]);
    expect((await second.exit).code).toBe(1);
    expect(second.stderr()).toContain(`another recorder (pid ${first.proc.pid}`);
  });

  it("exits 2 with a hint on bad flags and a bad rules file", async () => {
    const bad = cli("record", "--checkpoint-every", "5x");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad duration "5x"[\s\S]*--help/);
    expect(cli("record", "--broker", "localhost:5555").stderr).toMatch(/bad broker endpoint/);
    expect(cli("record", "--max-message-bytes", "lots").status).toBe(2);
    const rules = path.join(await tmpDir(), "rules.json");
    await fs.writeFile(rules, '{\n  "rules": [\n    { "name": "x", "when": { "tier": 1 } }\n  ]\n}\n');
    const r = cli("record", "--logs", path.dirname(rules), "--rules", rules);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${rules}:3:38: rules[0].when.tier: unknown field "tier"`);
  });

  it.runIf(CAN_LIMIT_FILE_SIZE)("keeps running through write errors, reports them, and writes the backlog once it can", async () => {
    requirePrlimit();
    const logs = await tmpDir();
    const ep = await freeEndpoint();
    const recorder = await startRecorder(logs, ep, [], ["prlimit", "--fsize=24576:unlimited"]);
    const pub = await bindPublisher(ep);
    let sent = 0;
    const big = (i: number) => JSON.stringify({ sender: "p", i, text: "x".repeat(500) });
    await waitFor(
      async () => {
        for (let k = 0; k < 10; k++) await pub.send(big(++sent));
        return (await readRecorderState(logs)).status?.state === "degraded";
      },
      { what: "a write error", timeoutMs: 15_000 },
    );
    const { status } = await readRecorderState(logs);
    expect(status!.errors.at(-1)!.message).toMatch(/EFBIG/);
    expect(status!.backlog_bytes).toBeGreaterThan(0);
    expect(spawnSync("prlimit", ["--pid", String(recorder.proc.pid), "--fsize=unlimited:unlimited"]).status).toBe(0);
    const recs = await waitForMessages(logs, sent, 20_000);
    expect(messagesOf(recs).map((r) => (r.payload as { i: number }).i)).toEqual([...Array(sent).keys()].map((k) => k + 1));
    await waitFor(async () => (await readRecorderState(logs)).status?.state === "recording", { what: "the status to recover" });
  });
});

describe("failures the recorder reports instead of swallowing", () => {
  it("names a failed automatic checkpoint in its status errors and keeps recording", async () => {
    const logs = await tmpDir();
    const ep = await freeEndpoint();
    await startRecorder(logs, ep, ["--checkpoint-every", "1s"]);
    await fs.rm(logsPaths(logs).checkpoints, { recursive: true });
    await fs.writeFile(logsPaths(logs).checkpoints, "not a folder"); // no checkpoint file can be made in it
    const pub = await bindPublisher(ep);
    await pub.send(msg(1));
    const status = await waitFor(
      async () => {
        const s = (await readRecorderState(logs)).status;
        return s?.errors.some((e) => /automatic checkpoint failed/.test(e.message)) ? s : null;
      },
      { what: "the failed checkpoint in the status" },
    );
    expect(status.state).toBe("recording");
    await pub.send(msg(2));
    await waitForMessages(logs, 2);
  });
});
