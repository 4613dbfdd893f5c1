// A ZeroMQ multipart message → the fields of a message record (SPEC.md "A record"). Pure functions.
import { createHash } from "node:crypto";
import type { FrameDump, MessageRecord } from "../record.ts";
import { oneLineJson, PAYLOAD_JSON } from "../storage/recordJson.ts";

/** With a payload comes its JSON text as received: the writer copies those bytes into the line rather than serializing again. */
export type MessageFields = Pick<MessageRecord, "topic" | "payload" | "frames" | "oversize"> & { [PAYLOAD_JSON]?: Uint8Array };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The frame as text when it is valid UTF-8, else undefined. */
function textOf(frame: Uint8Array): string | undefined {
  try {
    return utf8.decode(frame);
  } catch {
    return undefined;
  }
}

/** JSON text → value; undefined when it is not JSON (an empty body is not JSON). */
function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

export function dumpFrame(frame: Uint8Array): FrameDump {
  const text = textOf(frame);
  return text === undefined ? { base64: Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString("base64") } : { text };
}

/** The original bytes of a dumped frame (lossless round trip). */
export function frameBytes(dump: FrameDump): Buffer {
  return "text" in dump ? Buffer.from(dump.text, "utf8") : Buffer.from(dump.base64, "base64");
}

function topicOf(frames: Uint8Array[], maxTopicBytes = 4096): string {
  if (frames.length < 2 || frames[0].byteLength > maxTopicBytes) return "";
  return textOf(frames[0]) ?? "";
}

export function messageFields(frames: Uint8Array[], maxMessageBytes: number): MessageFields {
  let bytes = 0;
  for (const f of frames) bytes += f.byteLength;
  if (bytes > maxMessageBytes) {
    const hash = createHash("sha256");
    for (const f of frames) hash.update(f);
    return {
      topic: topicOf(frames),
      oversize: { bytes, frames: frames.length, sha256: hash.digest("hex"), limit: maxMessageBytes },
    };
  }
  if (frames.length === 1 || frames.length === 2) {
    const topic = frames.length === 2 ? textOf(frames[0]) : "";
    const bodyFrame = frames[frames.length - 1];
    const body = textOf(bodyFrame);
    const parsed = topic !== undefined && body !== undefined ? parseJson(body) : undefined;
    if (parsed) return { topic: topic as string, payload: parsed.value, [PAYLOAD_JSON]: oneLineJson(bodyFrame, body!) };
  }
  return { topic: topicOf(frames), frames: frames.map(dumpFrame) };
}
