// The report's line reader against JSON.parse: the same values on every shape a line may take (escapes, spaces,
// duplicate keys, numbers for strings, nested look-alikes), and the same verdict on lines that are not records.
import { describe, expect, it } from "vitest";
import { ReportLine } from "../../src/report/reportLine.ts";

function viaParse(line: string) {
  const r = JSON.parse(line);
  const p = r.payload && typeof r.payload === "object" && !Array.isArray(r.payload) ? r.payload : {};
  const first = (keys: string[]) => {
    for (const k of keys) if ((typeof p[k] === "string" && p[k] !== "") || typeof p[k] === "number") return String(p[k]);
    return undefined;
  };
  const m = r.meta ?? {};
  const text = (v: unknown) => (v === undefined || v === null ? undefined : typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v));
  return {
    isMessage: r.kind === "message", ts: typeof r.ts === "string" ? r.ts : "", topic: text(r.topic), event: text(r.event),
    agent: text(m.agent), recipient: text(m.recipient), tier: text(m.ace_tier), chainType: text(m.chain_type), chainId: text(m.chain_id),
    model: text(m.model), error: m.error === true, tags: Array.isArray(m.shl_tags) ? m.shl_tags.map(text).filter((t: unknown) => t !== undefined) : [],
    tokens: m.tokens, id: first(["id", "message_id", "msg_id"]), replyTo: first(["reply_to", "in_reply_to", "parent_id"]),
  };
}

function viaReader(line: string) {
  const r = new ReportLine();
  expect(r.read(line), line).toBe(true);
  const tags: string[] = [];
  r.tags((t) => tags.push(t));
  return {
    isMessage: r.isMessage, ts: r.ts, topic: r.topic, event: r.event,
    agent: r.meta("agent"), recipient: r.meta("recipient"), tier: r.meta("ace_tier"), chainType: r.meta("chain_type"), chainId: r.meta("chain_id"),
    model: r.meta("model"), error: r.metaError, tags, tokens: r.tokens, id: r.id, replyTo: r.replyTo,
  };
}

const RECORDS = [
  '{"v":1,"seq":2,"ts":"2026-11-24T10:00:00.000Z","kind":"message","topic":"agents.chat","payload":{"id":"q1","sender":"a","text":"hi"},"meta":{"agent":"a","recipient":"b","ace_tier":2,"chain_type":"request","shl_tags":["deploy","#x"],"chain_id":"q1"}}',
  // spaces everywhere, escapes in values and in the text passed over, a quote after an even run of backslashes
  ' { "seq" : 3 , "kind" : "message", "ts":"2026-11-24T10:00:01Z", "payload" : { "text" : "say \\"meta\\": {\\\\", "reply_to" : "q\\u0031" } , "meta" : { "agent" : "\\u00e9v\\"e" , "shl_tags" : [ "a\\nb" , 7 , null ] } } ',
  // a nested look-alike of meta and of the payload's ids, which must not be taken
  '{"seq":4,"kind":"message","ts":"x","payload":{"inner":{"id":"no","meta":{"agent":"no"}},"msg_id":12},"meta":{"chain_id":42,"ace_tier":3,"error":true,"model":"claude-opus-4-5","tokens":{"input":1,"output":2,"cache_read":0,"cache_write":0}}}',
  // keys given twice: the later wins, a second meta whole
  '{"seq":5,"kind":"message","ts":"t","meta":{"agent":"first","recipient":"r"},"payload":{"id":"","id":"","message_id":"m"},"meta":{"agent":"second"}}',
  // a payload that is not an object, empty ids, a string "true" for error, a number written as 1e3
  '{"seq":6,"kind":"message","ts":"t","payload":"plain text {\\"id\\":1}","meta":{"error":"true","agent":1e3,"recipient":null}}',
  '{"v":1,"seq":1,"ts":"2026-11-24T10:00:00.000Z","kind":"event","event":"session_started","session":"s"}',
  '{"seq":7,"kind":"message","ts":"t","payload":[{"id":"in an array"}],"meta":{}}',
  '{"seq":-8.5e1,"kind":"event","event":{"odd":true}}',
];

const NOT_RECORDS = [
  "", "   ", "[1,2]", '"text"', "{", '{"seq":1,"kind":"message"', '{"seq":1,"kind":"message"} trailing', '{"kind":"message"}',
  '{"seq":"1","kind":"message"}', '{"seq":1,"kind":"note"}', '{"seq":1,"kind":"message","meta":{"agent":"a" "x":1}}',
  '{"seq":1 "kind":"message"}', '{seq:1,"kind":"message"}', '{"seq":1,"kind":"message","ts":"cut', '\u0000\u0001binary',
];

describe("the report's line reader", () => {
  it("reads what JSON.parse reads, on every shape of record", () => {
    for (const line of RECORDS) expect(viaReader(line), line).toEqual(viaParse(line));
  });

  it("takes for damaged the lines a reader's parse refuses", () => {
    const r = new ReportLine();
    for (const line of NOT_RECORDS) expect(r.read(line), JSON.stringify(line)).toBe(false);
  });

  it("keeps nothing of one line for the next", () => {
    const r = new ReportLine();
    r.read(RECORDS[0]);
    expect(r.read('{"seq":9,"kind":"message","ts":"t"}')).toBe(true);
    expect([r.meta("agent"), r.id, r.topic, r.tokens]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
