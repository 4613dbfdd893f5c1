// `shearwater demo`: try it at once. An embedded broker, three simulated agents talking, the recorder and the TUI,
// in a demo logs folder with two checkpoints already there. Q ends the demo and everything it started.
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../../config.ts";
import { defaultDemoLogs, startDemo } from "../../demo/demo.ts";
import { terminalUi } from "../../ui.ts";

export function register(program: Command): void {
  program
    .command("demo")
    .description("try it at once: an embedded broker, simulated agents talking, the recorder and the TUI")
    .option("--logs <dir>", "the demo logs folder", defaultDemoLogs())
    .option("--rate <n>", "messages per minute from the simulated agents", "300")
    .option("--pub <endpoint>", "where the demo broker takes publishers (default tcp://127.0.0.1:5556, or a free port)")
    .option("--sub <endpoint>", "where the demo broker takes subscribers (default tcp://127.0.0.1:5555, or a free port)")
    .action(async (opts: { logs: string; rate: string; pub?: string; sub?: string }) => {
      const perMinute = Number(opts.rate);
      if (!Number.isFinite(perMinute) || perMinute <= 0) throw new UsageError(`bad --rate "${opts.rate}" (messages per minute, e.g. 300)`);
      if (!opts.pub !== !opts.sub) throw new UsageError("--pub and --sub go together");
      const endpoints = opts.pub && opts.sub ? { pub: opts.pub, sub: opts.sub } : undefined;
      if (!process.stdin.isTTY || !process.stdout.isTTY) throw new Error("the demo shows the TUI: run it on a terminal");
      const say = (line: string) => process.stderr.write(`demo: ${line}\n`);
      say(`logs folder ${opts.logs}`);
      const demo = await startDemo({ logsDir: path.resolve(opts.logs), perMinute, endpoints, onProgress: say });
      say(`broker: publishers ${demo.broker.endpoints.pub}, subscribers ${demo.broker.endpoints.sub}`);
      try {
        const ui = await terminalUi();
        await ui.runTui({ logsDir: demo.logsDir, brokers: [demo.broker.endpoints.sub], recorder: true });
      } finally {
        await demo.stop();
      }
      say(`ended; the conversation stays in ${demo.logsDir} (browse it: shearwater --logs ${demo.logsDir} --no-recorder)`);
    });
}
