// A ZeroMQ multipart message → the fields of a message record (docs/SPEC.md "A record"). Pure functions.
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

/**
 * A frame kept losslessly in the form that takes less room in a line: its text when it is valid UTF-8 and JSON
 * escaping does not blow it up, else base64. Control bytes are escaped as six characters each, so a frame of them
 * as text would take six times its size; as base64 no frame takes more than 4/3 of its size plus a few bytes, which
 * is what bounds a line (and the writer's memory) by the message size limit.
 */
export function dumpFrame(frame: Uint8Array): FrameDump {
  const text = textOf(frame);
  if (text !== undefined && escapedLength(text, base64Length(frame.byteLength)) <= base64Length(frame.byteLength)) return { text };
  return { base64: Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString("base64") };
}

const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

/**
 * Characters of `text` once JSON-escaped (a non-ASCII character counted as its UTF-8 bytes, which is what it takes in
 * the line), counted only until it passes `limit`.
 */
function escapedLength(text: string, limit: number): number {
  let n = 0;
  for (let i = 0; i < text.length && n <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) n += 6;
    else if (c === 0x22 || c === 0x5c) n += 2;
    else if (c < 0x80) n += 1;
    else if (c < 0x800 || (c >= 0xdc00 && c < 0xe000)) n += 2; // a low surrogate completes a 4-byte character
    else n += c >= 0xd800 && c < 0xdc00 ? 2 : 3;
  }
  return n;
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
