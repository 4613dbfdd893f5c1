// Every command as a user runs it: a whole process (`node bin/shearwater.js …`, Node's start-up included) from spawn
// to exit, on a 1,000,000-message (~750 MB) session, next to `node -e 0` in the same run as the floor. Each figure is
// the median of several runs (the row says how many). Also the recorder's restart after a SIGKILL and the first
// checkpoint it takes then, since both depend on what a recorder does with an existing session when it opens it.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { startBroker } from "../src/broker/referenceBroker.ts";
import { BIN_PATH } from "../src/cli/selfCommand.ts";
import { processExists, readRecorderStatus } from "../src/control/recorderStatus.ts";
import { stopRecorder } from "../src/launcher/recorderProcess.ts";
import { freeEndpoint } from "../test/helpers/ports.ts";
import { BENCH_DATA, ensureSessionFile } from "./fixtures.ts";
import { benchLogs, ensureIndex } from "./search-build.ts";
import type { BenchResult } from "./types.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (ms: number) => Math.round(ms * 10) / 10;

/** Milliseconds from spawn to exit of `command args`; a failure is an error unless the exit code is `allowed`. */
function timed(command: string, args: string[], allowed = [0]): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile(command, args, { maxBuffer: 64 << 20 }, (err, _out, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? -1) : 0;
      if (!allowed.includes(code)) reject(new Error(`${args.join(" ")}: exit ${code}: ${stderr}`));
      else resolve(performance.now() - t0);
    }),
  );
}
const cli = (args: string[], allowed?: number[]) => timed(process.execPath, [BIN_PATH, ...args], allowed);

async function medianOf(runs: number, once: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return median(times);
}

/** A logs folder of its own holding a copy of the session (recorders write to it: the shared fixture stays as is). */
async function privateCopy(records: number): Promise<string> {
  const source = await ensureSessionFile(path.join(BENCH_DATA, `session-${records}.jsonl`), records);
  const dir = path.join(BENCH_DATA, `cli-${records}`);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.copyFile(source, path.join(dir, "current_session.jsonl"));
  return dir;
}

/** `shearwater record` in the background, as the TUI and the launcher start it. */
function startRecorder(logsDir: string, broker: string): number {
  const child = spawn(process.execPath, [BIN_PATH, "record", "--logs", logsDir, "--broker", broker], { detached: true, stdio: "ignore" });
  child.unref();
  return child.pid!;
}

/** Resolves once the status file says this pid records (connected to the broker); polls every 2 ms. */
async function recording(logsDir: string, pid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const s = await readRecorderStatus(logsDir);
    if (s?.pid === pid && s.state === "recording") return;
    if (Date.now() > deadline) throw new Error(`recorder ${pid} not recording: ${JSON.stringify(s?.state)}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function killed(pid: number): Promise<void> {
  process.kill(pid, "SIGKILL");
  while (processExists(pid)) await new Promise((r) => setTimeout(r, 2));
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const records = quick ? 20_000 : 1_000_000;
  const runs = quick ? 3 : 7;
  const restarts = quick ? 2 : 5;
  const n = `${records.toLocaleString("en-US")}-message session`;
  const search = await benchLogs(quick);
  await ensureIndex(search.dir);
  const big = await privateCopy(records);
  const small = await privateCopy(10);
  const endpoints = { pub: await freeEndpoint(), sub: await freeEndpoint() };
  const broker = await startBroker(endpoints);
  try {
    const floor = await medianOf(runs, () => timed(process.execPath, ["-e", "0"]));
    const version = await medianOf(runs, () => cli(["--version"]));
    const searchMs = await medianOf(runs, () => cli(["search", "deploy", "faild", "--logs", search.dir]));

    // A recorder on the big session, restarted after a SIGKILL each round.
    let pid = startRecorder(big, endpoints.sub);
    await recording(big, pid);
    const restart: number[] = [];
    const firstCheckpoint: number[] = [];
    for (let i = 0; i < restarts; i++) {
      await killed(pid);
      const t0 = performance.now();
      pid = startRecorder(big, endpoints.sub);
      await recording(big, pid);
      restart.push(performance.now() - t0);
      firstCheckpoint.push(await cli(["checkpoint", "--logs", big, `after restart ${i}`]));
    }
    const status = await medianOf(runs, () => cli(["status", "--logs", big]));
    const checkpoints = await medianOf(runs, () => cli(["checkpoints", "--logs", big]));
    const launch = await medianOf(runs, () => cli(["launch", "--agent", "bench", "--json", "--no-menu", "--keep-running", "--logs", big, "--broker", endpoints.sub]));
    await stopRecorder(big); // its final checkpoint is what a checkpoint without a recorder extends
    await cli(["checkpoint", "--logs", small, "first"]); // the small session's first one, hashed whole, as the big one's was
    const offlineBig = await medianOf(runs, () => cli(["checkpoint", "--logs", big, "offline"]));
    const offlineSmall = await medianOf(runs, () => cli(["checkpoint", "--logs", small, "offline"]));

    const full = !quick;
    const floorRow = { name: "node -e 0 (same run), ms", value: round(floor) };
    const row = (name: string, value: number, target: string, ok: boolean, baseline: { name: string; value: number } = floorRow): BenchResult =>
      ({ name, value: round(value), unit: "ms", baseline, target, ok: full ? ok : undefined });
    return [
      row(`shearwater --version (median of ${runs})`, version, "≤ 150 ms", version <= 150),
      row(`shearwater status, recorder running, ${n} (median of ${runs})`, status, "≤ 250 ms", status <= 250),
      row(`shearwater checkpoints, recorder running, ${n} (median of ${runs})`, checkpoints, "≤ 300 ms", checkpoints <= 300),
      row(`shearwater search "deploy faild", warm index, ${n} (median of ${runs})`, searchMs, "≤ 250 ms", searchMs <= 250),
      row(`shearwater checkpoint, no recorder, ${n} (median of ${runs})`, offlineBig, "≤ 1.5 × baseline", offlineBig <= 1.5 * offlineSmall,
        { name: "the same on a 10-message session, ms", value: round(offlineSmall) }),
      row(`shearwater launch, recorder running, ${n} (median of ${runs})`, launch, "≤ CLI + 1 s", launch <= version + 1000,
        { name: "shearwater --version, ms", value: round(version) }),
      row(`recorder SIGKILLed → recording again (shearwater record), ${n} (median of ${restarts})`, median(restart), "≤ 300 ms", median(restart) <= 300),
      { name: `first checkpoint after the recorder restarted, ${n}, whole CLI (median of ${restarts})`, value: round(median(firstCheckpoint)), unit: "ms",
        baseline: { name: "shearwater --version, ms", value: round(version) } },
    ];
  } finally {
    await stopRecorder(big).catch(() => null);
    broker.stop();
    await broker.done;
    await Promise.all([big, small].map((d) => fs.rm(d, { recursive: true, force: true })));
  }
}
