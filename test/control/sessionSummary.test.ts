// The active session's counts come from what is written down (the recorder's status file, a checkpoint) plus the
// lines since: a listing costs the same on any session size.
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { currentSessionSummary } from "../../src/control/sessionSummary.ts";
import { createCheckpoint } from "../../src/storage/checkpoints.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { tmpDir } from "../helpers/tmp.ts";

const msg = (i: number) => ({ kind: "message" as const, topic: "chat", payload: { text: `message ${i}` }, meta: {} });

/** `n` messages, a checkpoint, `more` messages; then every message line before the checkpoint made to look like an
 * event, same length: counting those lines again would count fewer messages than the checkpoint says. */
async function sessionCountedOnlySinceCheckpoint(n: number, more: number) {
  const dir = await tmpDir();
  const w = await SessionWriter.open(dir);
  await w.appendMany(Array.from({ length: n }, (_, i) => msg(i)));
  const cp = await createCheckpoint(dir, await w.snapshot(), "base");
  await w.appendMany(Array.from({ length: more }, (_, i) => msg(n + i)));
  const { sessionId } = w;
  await w.close();
  const file = logsPaths(dir).current;
  const bytes = await fs.readFile(file);
  const before = bytes.subarray(0, cp.bytes).toString("latin1").replaceAll('"kind":"message"', '"kind":"messagX"');
  await fs.writeFile(file, Buffer.concat([Buffer.from(before, "latin1"), bytes.subarray(cp.bytes)]));
  return { dir, cp, sessionId, size: bytes.length };
}

describe("the active session's summary", () => {
  it("adds the lines since the newest checkpoint of the session to its counts, reading none before it", async () => {
    const { dir, sessionId, size } = await sessionCountedOnlySinceCheckpoint(6, 4);
    expect(await currentSessionSummary(dir)).toMatchObject({ session: sessionId, messages: 10, records: 11, bytes: size });
    const listed = JSON.parse(shearwaterSync("checkpoints", "--json", "--logs", dir).stdout);
    expect(listed.current).toMatchObject({ session: sessionId, messages: 10, records: 11, bytes: size });
  });

  it("takes the recorder's counts when its status file names the session and is done counting", async () => {
    const { dir, sessionId, cp, size } = await sessionCountedOnlySinceCheckpoint(6, 4);
    const status = (counting: boolean) =>
      JSON.stringify({ pid: 1, state: "stopped", session: { id: sessionId, records: 9, messages: 8, bytes: size - 10, ...(counting && { counting }) } });
    await fs.writeFile(logsPaths(dir).status, status(false), { mode: 0o600 });
    // 8 messages in the first size - 10 bytes (as the status says), then the part of the last line after them.
    expect(await currentSessionSummary(dir)).toMatchObject({ messages: 8, records: 10 });
    await fs.writeFile(logsPaths(dir).status, status(true), { mode: 0o600 });
    expect(cp.messages).toBe(6);
    expect(await currentSessionSummary(dir)).toMatchObject({ messages: 10, records: 11 });
  });

  it("counts the whole file when nothing is written down, and is null without a session", async () => {
    const dir = await tmpDir();
    expect(await currentSessionSummary(dir)).toBeNull();
    const w = await SessionWriter.open(dir);
    await w.appendMany([msg(1), msg(2)]);
    await w.close();
    expect(await currentSessionSummary(dir)).toMatchObject({ messages: 2, records: 3 });
  });
});
