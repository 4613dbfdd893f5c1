// How long an agent waits for `shearwater launch`: the first launch (starts a recorder), a later one (reuses it),
// next to the CLI's own start-up in the same run; and how soon `shearwater demo` has live messages recorded.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startBroker } from "../src/broker/referenceBroker.ts";
import { BIN_PATH } from "../src/cli/selfCommand.ts";
import { readRecorderState } from "../src/control/recorderStatus.ts";
import { startDemo } from "../src/demo/demo.ts";
import { stopRecorder } from "../src/launcher/recorderProcess.ts";
import { freeEndpoint } from "../test/helpers/ports.ts";
import type { BenchResult } from "./types.ts";

function timedCli(args: string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [BIN_PATH, ...args], (err, _out, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(performance.now() - t0))),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const rounds = quick ? 1 : 5;
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "shearwater-bench-launch-"));
  const endpoints = { pub: await freeEndpoint(), sub: await freeEndpoint() };
  const broker = await startBroker(endpoints);
  const cli: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const demo: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const logsDir = path.join(root, `logs-${i}`);
      const launch = ["launch", "--agent", "bench", "--json", "--no-menu", "--logs", logsDir, "--broker", endpoints.sub];
      cli.push(await timedCli(["--version"]));
      cold.push(await timedCli(launch));
      warm.push(await timedCli(launch));
      await stopRecorder(logsDir);

      const t0 = performance.now();
      const running = await startDemo({ logsDir: path.join(root, `demo-${i}`), endpoints: { pub: await freeEndpoint(), sub: await freeEndpoint() } });
      while (((await readRecorderState(running.logsDir)).status?.session.messages ?? 0) === 0) await new Promise((r) => setTimeout(r, 50));
      demo.push(performance.now() - t0);
      await running.stop();
    }
  } finally {
    broker.stop();
    await broker.done;
    await fs.rm(root, { recursive: true, force: true });
  }
  const baseline = { name: "shearwater --version (CLI start-up)", value: Math.round(median(cli)) };
  const cliMs = median(cli);
  return [
    { name: "launch, first agent (starts the recorder)", value: Math.round(median(cold)), unit: "ms", baseline, target: "< CLI + 5 s", ok: median(cold) < cliMs + 5000 },
    { name: "launch, later agent (reuses the recorder)", value: Math.round(median(warm)), unit: "ms", baseline, target: "< CLI + 1 s", ok: median(warm) < cliMs + 1000 },
    { name: "demo: start to first message recorded", value: Math.round(median(demo)), unit: "ms", target: "< 10 s", ok: median(demo) < 10_000 },
  ];
}
