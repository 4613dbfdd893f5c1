// One received ZeroMQ message → its record (plus a `gap` event when its sender skipped sequence numbers).
import type { AppendRecord } from "../storage/recordJson.ts";
import type { Enricher } from "./enrich.ts";
import { messageFields } from "./frames.ts";
import { GapTracker, sequenceOf } from "./gaps.ts";

export class MessageRecords {
  private readonly gaps = new GapTracker();

  constructor(
    private readonly enricher: Enricher,
    private readonly maxMessageBytes: number,
  ) {}

  build(frames: Uint8Array[], ts: string): AppendRecord[] {
    const fields = messageFields(frames, this.maxMessageBytes);
    const meta = this.enricher.enrich(fields.topic, fields.payload);
    const record: AppendRecord = { kind: "message", ts, ...fields, meta };
    const seq = sequenceOf(fields.payload);
    const gap = seq !== undefined ? this.gaps.observe(meta.agent ?? fields.topic, seq) : null;
    return gap ? [{ kind: "event", event: "gap", ts, reason: "sender sequence skipped", ...gap }, record] : [record];
  }
}
