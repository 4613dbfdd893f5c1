// Live latency of the TUI as a user runs it: the built program (`shearwater`, dist/) in a real 200×60 terminal (a
// pseudo-terminal: the wide layout, checkpoint list beside the viewer), timed on the frames it writes to the
// terminal, with a real broker and a real recorder child process:
// - a message published through the broker until it is on screen, from the first screen without any key (target
//   p50 ≤ 100 ms, p99 ≤ 250 ms); baseline: until followSession hands the recorded line to a reader (broker +
//   recorder + tail, without drawing);
// - a key press until the frame that shows its effect while 1,000 messages/s arrive (target p99 ≤ 50 ms).
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Publisher } from "zeromq";
import { startBroker } from "../src/broker/referenceBroker.ts";
import { ensureRecorder, stopRecorder } from "../src/launcher/recorderProcess.ts";
import { followSession } from "../src/storage/follow.ts";
import { logsPaths } from "../src/storage/logsDir.ts";
import { freeEndpoint } from "../test/helpers/ports.ts";
import { runInTerminal, type ProgramInTerminal } from "./support/ptyFrames.ts";
import type { BenchResult } from "./types.ts";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const samples = quick ? 30 : 200;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "shearwater-bench-tui-"));
  const [pub, sub] = [await freeEndpoint(), await freeEndpoint()];
  const broker = await startBroker({ pub, sub });
  const publisher = new Publisher();
  publisher.connect(pub);
  const stopFollow = new AbortController();
  let frames: ProgramInTerminal | null = null;
  try {
    await ensureRecorder({ logsDir: dir, brokers: [sub] });
    // The wide layout, and no key: the first screen is the live tail.
    frames = runInTerminal(["--logs", dir, "--broker", sub], { columns: 200, rows: 60 });
    await frames.until((f) => f.includes("Messages —"), 30_000);
    const send = (text: string) => publisher.send(["bench.chat", JSON.stringify({ from: "bench", to: "tui", text })]);

    // Lines as a reader following the file gets them: the baseline without drawing.
    const followed = new Map<string, number>();
    void (async () => {
      for await (const e of followSession(logsPaths(dir).current, { signal: stopFollow.signal })) {
        const m = /"text":"(lat-\d+)/.exec(e.raw);
        if (m) followed.set(m[1], performance.now());
      }
    })().catch(() => {});

    // Subscriptions reach a PUB socket after a moment: publish until something arrives.
    for (let i = 0; !frames.last().includes("warm-up"); i++) {
      await send(`warm-up ${i}`);
      await frames.next(300);
    }

    const onScreen: number[] = [];
    const inFile: number[] = [];
    for (let i = 0; i < samples; i++) {
      const marker = `lat-${i}-`;
      const t0 = performance.now();
      await send(`${marker} a message to measure`);
      onScreen.push((await frames.until((f) => f.includes(marker), 5000)) - t0);
      const f = followed.get(`lat-${i}`);
      if (f !== undefined) inFile.push(f - t0);
    }

    // Keys while 1,000 messages/s arrive: 10 every 10 ms.
    // (one send at a time: a zeromq socket takes no concurrent sends)
    let loading = true;
    const loader = (async () => {
      for (let n = 0; loading; ) {
        const t = performance.now();
        for (let k = 0; k < 10; k++) await send(`load ${n++}`);
        await new Promise((r) => setTimeout(r, Math.max(0, 10 - (performance.now() - t))));
      }
    })();
    const keys: number[] = [];
    try {
      // 500 presses: with 100, the p99 would be the single slowest one.
      for (let i = 0; i < (quick ? 20 : 500); i++) {
        const open = i % 2 === 0;
        const t0 = performance.now();
        frames.type("?");
        keys.push((await frames.until((f) => f.includes("Keys —") === open, 5000)) - t0);
      }
    } finally {
      loading = false;
      await loader;
    }
    const full = !quick;
    return [
      { name: "published → on screen p50 (the built program in a 200×60 terminal)", value: pct(onScreen, 50), unit: "ms", baseline: { name: "published → followed line p50", value: pct(inFile, 50) },
        target: "≤ 100 ms", ok: full ? pct(onScreen, 50) <= 100 : undefined },
      { name: "published → on screen p99", value: pct(onScreen, 99), unit: "ms", baseline: { name: "published → followed line p99", value: pct(inFile, 99) },
        target: "≤ 250 ms", ok: full ? pct(onScreen, 99) <= 250 : undefined },
      { name: "key → next frame p99 at 1,000 msgs/s (the built program, 200×60)", value: pct(keys, 99), unit: "ms", baseline: { name: "p50", value: pct(keys, 50) },
        target: "≤ 50 ms", ok: full ? pct(keys, 99) <= 50 : undefined },
    ];
  } finally {
    stopFollow.abort();
    await frames?.close();
    publisher.close();
    await stopRecorder(dir).catch(() => {}); // gone before its folder is removed: it writes its status on exit
    broker.stop();
    await fs.rm(dir, { recursive: true, force: true, maxRetries: 10 });
  }
}
