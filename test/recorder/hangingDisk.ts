// A disk that stops answering, for the recorder's writer: session files opened through `open` write normally until
// `hang()`, after which every write waits for ever (as on a hung network file system).
import fs from "node:fs/promises";
import { XPublisher } from "zeromq";
import { Recorder } from "../../src/recorder/recorder.ts";
import { defaultRules } from "../../src/recorder/rulesFile.ts";
import type { OpenSessionFile } from "../../src/storage/nextSession.ts";

export function hangingDisk(): { open: OpenSessionFile; hang(): void } {
  let hung = false;
  return {
    open: async (file, flags) => {
      const fh = await fs.open(file, flags, 0o600);
      const writev = fh.writev.bind(fh);
      return Object.assign(fh, { writev: (...args: Parameters<typeof writev>) => (hung ? new Promise<never>(() => {}) : writev(...args)) });
    },
    hang: () => void (hung = true),
  };
}

/**
 * A real recorder in this process on such a disk, and the publisher it listens to; resolves once it has subscribed.
 * Messages sent after `disk.hang()` are received but never written.
 */
export async function recorderOnHangingDisk(logsDir: string): Promise<{ recorder: Recorder; pub: XPublisher; disk: ReturnType<typeof hangingDisk> }> {
  const pub = new XPublisher({ linger: 0 });
  await pub.bind("tcp://127.0.0.1:*");
  const disk = hangingDisk();
  const recorder = await Recorder.start({
    logsDir,
    brokers: [pub.lastEndpoint!],
    topics: [],
    checkpointEveryMs: 0,
    rules: defaultRules(),
    maxMessageBytes: 1 << 20,
    writer: { open: disk.open },
  });
  await pub.receive(); // the recorder's subscription
  return { recorder, pub, disk };
}
