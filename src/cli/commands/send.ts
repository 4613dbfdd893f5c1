// `shearwater send`: publish one message through the broker (docs/SPEC.md).
import type { Command } from "commander";
import { sendMessage } from "../../broker/referenceBroker.ts";
import { DEFAULT_PUBLISH_ENDPOINT } from "../../config.ts";
import { terminalJson } from "../../text/terminalJson.ts";

export function register(program: Command): void {
  program
    .command("send")
    .description("publish one JSON message {sender, recipient, type, text, ts, id} through the broker")
    .argument("<text>", "the message text")
    .requiredOption("--from <agent>", "the sender")
    .option("--to <agent>", "the recipient")
    .option("--topic <topic>", "topic frame (default: a single-frame message)")
    .option("--pub <endpoint>", "the broker's publisher endpoint", DEFAULT_PUBLISH_ENDPOINT)
    .action(async (text: string, opts: { from: string; to?: string; topic?: string; pub: string }) => {
      const sent = await sendMessage(opts.pub, { from: opts.from, to: opts.to, topic: opts.topic, text });
      process.stdout.write(terminalJson(sent) + "\n");
    });
}
