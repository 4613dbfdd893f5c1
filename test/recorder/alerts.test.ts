// Each --alert rule fired and cleared by a real recorder under its condition: --alert-command gets the alert as
// JSON on stdin once when it fires and once when it clears, and the status lists what is firing. recorder-down is
// raised by the watchdog (as the TUI runs it) when a recorder dies, or by the next recorder when none watched.
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { recorderAlert } from "../../components/recorderAlert.ts";
import { readRecorderState } from "../../src/control/recorderStatus.ts";
import { RecorderWatchdog } from "../../src/launcher/recorderProcess.ts";
import type { AlertEvent } from "../../src/recorder/alertSpec.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { bindPublisher, startRecorder } from "./support.ts";

/** A recorder with these alerts whose command appends each alert to a file; the alerts read back. */
async function alerting(rules: string[], logs?: string) {
  const dir = await tmpDir();
  const logsDir = logs ?? path.join(dir, "logs");
  const out = path.join(dir, "alerts.jsonl");
  const broker = await freeEndpoint();
  const pubReady = bindPublisher(broker);
  const args = [...rules.flatMap((r) => ["--alert", r]), "--alert-command", `cat >> '${out}'`];
  const recorder = await startRecorder(logsDir, broker, args);
  const pub = await pubReady;
  const alerts = async (): Promise<AlertEvent[]> =>
    (await fs.readFile(out, "utf8").catch(() => "")).split("\n").filter(Boolean).map((l) => JSON.parse(l) as AlertEvent);
  const waitForAlert = (rule: string, state: "firing" | "cleared", n = 1) =>
    waitFor(async () => (await alerts()).filter((a) => a.rule === rule && a.state === state).length >= n, { what: `${rule} ${state}`, timeoutMs: 15_000 });
  const send = (payload: object) => pub.send(["agents", JSON.stringify(payload)]);
  return { logsDir, recorder, alerts, waitForAlert, send, args, broker };
}

const activeRules = async (logsDir: string) => (await readRecorderState(logsDir)).status?.alerts?.active.map((a) => a.rule) ?? [];

describe("recorder alerts", () => {
  it("silence: fires once when no message came for the time given, clears when one comes", async () => {
    const a = await alerting(["silence=2s"]);
    await a.waitForAlert("silence=2s", "firing");
    await waitFor(async () => (await activeRules(a.logsDir))[0] === "silence=2s", { what: "the status to list the alert" });
    expect(recorderAlert(await readRecorderState(a.logsDir))).toMatch(/^alert silence=2s: no message for \d+ s/); // the TUI's banner
    const status = shearwaterSync("status", "--logs", a.logsDir);
    expect(status.stdout).toMatch(/ALERT: +silence=2s since .*: no message for \d+ s/);
    await new Promise((r) => setTimeout(r, 2500)); // still silent: the same episode, not a second firing
    expect((await a.alerts()).filter((x) => x.state === "firing")).toHaveLength(1);
    await a.send({ sender: "a", text: "hello" });
    await a.waitForAlert("silence=2s", "cleared");
    const [fired, cleared] = await a.alerts();
    expect(fired).toMatchObject({ alert: "silence", state: "firing", logs_dir: a.logsDir, pid: a.recorder.proc.pid });
    expect(cleared).toMatchObject({ alert: "silence", state: "cleared", since: fired.since });
    await waitFor(async () => (await activeRules(a.logsDir)).length === 0, { what: "the status to list no alert" });
  });

  it("error-rate: fires when the share of errors over the window passes the limit, clears when it falls", async () => {
    const a = await alerting(["error-rate=50%/3s"]);
    for (let i = 0; i < 9; i++) await a.send({ sender: "a", type: "error", text: `failure ${i}` });
    for (let i = 0; i < 3; i++) await a.send({ sender: "a", text: "fine" });
    await a.waitForAlert("error-rate=50%/3s", "firing");
    expect((await a.alerts())[0].message).toMatch(/9 of 12 messages in the last 3 s were errors \(75%, limit 50%\)/);
    for (let i = 0; i < 40; i++) await a.send({ sender: "a", text: "fine again" });
    await a.waitForAlert("error-rate=50%/3s", "cleared");
    expect((await a.alerts()).map((x) => x.state)).toEqual(["firing", "cleared"]);
  });

  it("gap: fires when records were lost (a sender skipped numbers), clears after the quiet time", async () => {
    const a = await alerting(["gap=2s"]);
    await a.send({ sender: "counter", seq: 1 });
    await a.send({ sender: "counter", seq: 2 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await a.alerts()).toEqual([]);
    await a.send({ sender: "counter", seq: 7 });
    await a.waitForAlert("gap=2s", "firing");
    await a.waitForAlert("gap=2s", "cleared");
    expect((await a.alerts()).map((x) => x.state)).toEqual(["firing", "cleared"]);
  });

  describe("disk, on a small file system of its own", () => {
    const mounts: string[] = [];
    afterEach(() => {
      for (const m of mounts.splice(0)) spawnSync("umount", ["-l", m]);
    });

    it("disk: fires when the logs folder's file system is fuller than the limit, clears when room is made", async () => {
      const mount = await tmpDir();
      const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", mount], { encoding: "utf8" });
      if (mounted.status !== 0) throw new Error(`the disk alert test mounts a tmpfs (it needs root): ${mounted.stderr}`);
      mounts.push(mount);
      const a = await alerting(["disk=50%"], path.join(mount, "logs"));
      await new Promise((r) => setTimeout(r, 1500));
      expect(await a.alerts()).toEqual([]);
      const filler = path.join(mount, "filler");
      await fs.writeFile(filler, Buffer.alloc(6 * 1024 * 1024, 1));
      await a.waitForAlert("disk=50%", "firing");
      expect((await a.alerts())[0].message).toMatch(/file system is \d+(\.\d)?% full \(limit 50%/);
      await fs.rm(filler);
      await a.waitForAlert("disk=50%", "cleared");
      expect((await a.alerts()).map((x) => x.state)).toEqual(["firing", "cleared"]);
    });
  });

  it("recorder-down: the watchdog raises it for a recorder killed outright, the restarted recorder clears it", async () => {
    const a = await alerting(["recorder-down"]);
    const dead = a.recorder.proc.pid!;
    const watchdog = new RecorderWatchdog({ logsDir: a.logsDir, brokers: [a.broker], intervalMs: 100, backoffMs: 100 });
    const died = new Promise<AlertEvent | null>((resolve) => watchdog.on("died", (_reason: string, alert: AlertEvent | null) => resolve(alert)));
    const restarted = new Promise<number>((resolve) => watchdog.on("restarted", resolve));
    watchdog.start();
    let pid = 0;
    try {
      a.recorder.proc.kill("SIGKILL");
      const alert = await died;
      expect(alert).toMatchObject({ alert: "recorder-down", state: "firing", pid: dead });
      await a.waitForAlert("recorder-down", "firing");
      pid = await restarted;
      await a.waitForAlert("recorder-down", "cleared");
      const [fired, cleared] = await a.alerts();
      expect(fired).toMatchObject({ state: "firing", pid: dead, message: expect.stringContaining(`recorder pid ${dead} is down`) });
      expect(cleared).toMatchObject({ state: "cleared", pid, since: fired.since });
      expect((await a.alerts()).length).toBe(2); // the restarted recorder saw the episode raised: it did not fire again
      expect((await readRecorderState(a.logsDir)).status?.alerts?.rules).toEqual(["recorder-down"]); // kept its alerts
    } finally {
      watchdog.stop();
      if (pid) process.kill(pid, "SIGKILL"); // started detached by the watchdog: not a child of this test
    }
  });

  it("recorder-down: with no watchdog, the next recorder raises and clears it for the one that died", async () => {
    const a = await alerting(["recorder-down"]);
    const dead = a.recorder.proc.pid!;
    a.recorder.proc.kill("SIGKILL");
    await a.recorder.exit;
    const next = await startRecorder(a.logsDir, a.broker, a.args);
    await a.waitForAlert("recorder-down", "cleared");
    const [fired, cleared] = await a.alerts();
    expect(fired).toMatchObject({ state: "firing", pid: dead, message: `recorder pid ${dead} is down: it did not stop cleanly` });
    expect(cleared).toMatchObject({ state: "cleared", pid: next.proc.pid });
  });

  it("refuses a bad rule, and a command without rules, as bad usage", () => {
    for (const args of [["--alert", "silence"], ["--alert", "error-rate=5"], ["--alert", "disk=120%"], ["--alert", "loud"], ["--alert-command", "true"]]) {
      const run = shearwaterSync("record", "--logs", "/nonexistent/x", ...args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/--alert/);
    }
  });
});
