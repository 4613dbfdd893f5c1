// Messages any broker peer can send: huge, binary, all control bytes, over the limit, in a burst. The recorder stays
// up through all of them, records each losslessly (or, over --max-message-bytes, as its size and hash), and every
// ordinary message after them is recorded too.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readRecorderState } from "../../src/control/recorderStatus.ts";
import { frameBytes } from "../../src/recorder/frames.ts";
import type { MessageRecord } from "../../src/record.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { bindPublisher, messagesOf, startRecorder, waitForMessages } from "./support.ts";

const MiB = 1 << 20;
const ordinary = (i: number) => JSON.stringify({ sender: "peer", i, text: `ordinary ${i}` });
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** The bytes of a message's single frame as recorded (frames or payload), or its oversize note. */
function recorded(rec: MessageRecord): Buffer | MessageRecord["oversize"] {
  if (rec.oversize) return rec.oversize;
  expect(rec.frames).toHaveLength(1);
  return frameBytes(rec.frames![0]);
}

describe("hostile messages", () => {
  it("survives huge, binary, control-byte and oversized frames, alone and in a burst, and records what follows", async () => {
    const logs = await tmpDir();
    const ep = await freeEndpoint();
    const recorder = await startRecorder(logs, ep);
    const pub = await bindPublisher(ep);
    const controlBytes = Buffer.alloc(46 * MiB, 0x01); // valid UTF-8, not JSON: six bytes each once escaped
    const binary = randomBytes(63 * MiB);
    const oversize = randomBytes(70 * MiB); // over the default 64 MiB limit
    const hostile = [controlBytes, binary, oversize];

    let i = 0;
    const expected: (Buffer | { bytes: number; sha256: string })[] = [];
    const send = async (frame: Buffer) => {
      await pub.send(frame);
      expected.push(frame.length > 64 * MiB ? { bytes: frame.length, sha256: sha256(frame) } : frame);
      for (let k = 0; k < 3; k++) {
        const text = ordinary(++i);
        await pub.send(text);
        expected.push(Buffer.from(text));
      }
    };
    for (const frame of hostile) await send(frame); // one at a time
    for (const frame of [...hostile, ...hostile]) await send(frame); // a burst
    await pub.send(ordinary(++i)); // and one more after the burst
    expected.push(Buffer.from(ordinary(i)));

    const recs = messagesOf(await waitForMessages(logs, expected.length, 120_000));
    expect(recorder.proc.exitCode).toBeNull();
    expect(recs).toHaveLength(expected.length);
    recs.forEach((rec, n) => {
      const want = expected[n];
      if (Buffer.isBuffer(want) && want.length < 1000) return expect(rec.payload).toEqual(JSON.parse(want.toString()));
      if (Buffer.isBuffer(want)) return expect(sha256(recorded(rec) as Buffer)).toBe(sha256(want));
      expect(recorded(rec)).toMatchObject({ bytes: want.bytes, sha256: want.sha256, limit: 64 * MiB });
    });
    const { status } = await readRecorderState(logs);
    expect(status).toMatchObject({ state: "recording", dropped: 0 });
  }, 180_000);
});
