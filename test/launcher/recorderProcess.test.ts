// Recorder supervision with real processes: start, reuse, a start-up failure explained, a dead recorder restarted.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { processExists, readRecorderState } from "../../src/control/recorderStatus.ts";
import { RecorderStartError, RecorderWatchdog, ensureRecorder, stopRecorder } from "../../src/launcher/recorderProcess.ts";
import { acquireLock } from "../../src/storage/lock.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { testBroker, tmpDir, watchFolder } from "./support.ts";

describe("ensureRecorder", () => {
  it("starts a recorder once and reuses it", async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    watchFolder(logsDir);
    const { sub } = await testBroker();
    const first = await ensureRecorder({ logsDir, brokers: [sub] });
    expect(first.started).toBe(true);
    expect((await readRecorderState(logsDir)).status?.state).toMatch(/recording|waiting_for_broker/);
    expect(await ensureRecorder({ logsDir, brokers: [sub] })).toEqual({ pid: first.pid, started: false });
    expect(await stopRecorder(logsDir)).toBe(first.pid);
    expect(processExists(first.pid)).toBe(false);
  });

  it("explains a recorder that exits during start-up with its own output", async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    const { sub } = await testBroker();
    const err = await ensureRecorder({ logsDir, brokers: [sub], extraArgs: ["--no-such-flag"] }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/stopped during start-up \(exit code 2\)/);
    expect((err as Error).message).toMatch(/unknown option '--no-such-flag'/);
    expect((err as Error).message).toContain(path.join(logsDir, "recorder.log"));
  });

  it("names the process that holds the folder when it is not a recorder that gets ready", async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    watchFolder(logsDir);
    const { sub } = await testBroker();
    const lock = await acquireLock(logsDir);
    try {
      const err = await ensureRecorder({ logsDir, brokers: [sub], timeoutMs: 4000 }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(RecorderStartError);
      expect((err as Error).message).toContain(`another recorder (pid ${process.pid}`);
    } finally {
      await lock.release();
    }
  });

  it("lets two simultaneous starts end with one recorder", async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    watchFolder(logsDir);
    const { sub } = await testBroker();
    const [a, b] = await Promise.all([ensureRecorder({ logsDir, brokers: [sub] }), ensureRecorder({ logsDir, brokers: [sub] })]);
    expect(a.pid).toBe(b.pid);
    expect([a.started, b.started].filter(Boolean).length).toBe(1);
  });
});

describe("RecorderWatchdog", () => {
  it("restarts a recorder that was killed, and leaves one that was stopped on purpose", async () => {
    const logsDir = path.join(await tmpDir(), "logs");
    watchFolder(logsDir);
    const { sub } = await testBroker();
    const { pid } = await ensureRecorder({ logsDir, brokers: [sub] });
    const watchdog = new RecorderWatchdog({ logsDir, brokers: [sub], intervalMs: 100, backoffMs: 100 });
    const events: string[] = [];
    let restartedPid = 0;
    watchdog.on("died", () => events.push("died"));
    watchdog.on("restarted", (p: number) => {
      events.push("restarted");
      restartedPid = p;
    });
    watchdog.on("stopped", () => events.push("stopped"));
    watchdog.start();
    try {
      process.kill(pid, "SIGKILL");
      await waitFor(() => restartedPid, { timeoutMs: 20_000, what: "the watchdog to restart the recorder" });
      expect(restartedPid).not.toBe(pid);
      expect(events.slice(0, 2)).toEqual(["died", "restarted"]);
      await stopRecorder(logsDir);
      await waitFor(() => events.includes("stopped"), { what: "the watchdog to see the graceful stop" });
      expect((await readRecorderState(logsDir)).alive).toBe(false);
    } finally {
      watchdog.stop();
    }
  });
});
