// `shearwater broker`: the reference XSUB/XPUB forwarder (docs/SPEC.md).
import type { Command } from "commander";
import { startBroker } from "../../broker/referenceBroker.ts";
import { DEFAULT_BROKER, DEFAULT_PUBLISH_ENDPOINT } from "../../config.ts";

export function register(program: Command): void {
  program
    .command("broker")
    .description("run a reference broker: publishers connect to --pub, subscribers (the recorder too) to --sub")
    .option("--pub <endpoint>", "where publishers connect", DEFAULT_PUBLISH_ENDPOINT)
    .option("--sub <endpoint>", "where subscribers connect", DEFAULT_BROKER)
    .action(async (opts: { pub: string; sub: string }) => {
      const broker = await startBroker(opts);
      process.stderr.write(`shearwater broker: publishers → ${opts.pub}, subscribers → ${opts.sub} (Ctrl+C to stop)\n`);
      const stop = () => broker.stop();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await broker.done;
    });
}
