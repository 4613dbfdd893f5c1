// The recorder as a real process: messages in over a real socket, records out in the session file.
import fs from "node:fs/promises";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { sendControl } from "../../src/control/client.ts";
import { frameBytes } from "../../src/recorder/frames.ts";
import { listCheckpoints, verifyCheckpoint } from "../../src/storage/checkpoints.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { bindPublisher, eventsOf, messagesOf, readSession, startRecorder, waitForMessages } from "./support.ts";
import { shearwaterSync } from "../helpers/cli.ts";

const cli = shearwaterSync;

describe("shearwater record", () => {
  it("records N messages as N records with payloads unchanged, and stops on SIGTERM with a final checkpoint", async () => {
    const logs = await tmpDir();
    const ep = await freeEndpoint();
    const recorder = await startRecorder(logs, ep);
    const pub = await bindPublisher(ep);
    const N = 3000;
    const sent = Array.from({ length: N }, (_, i) => ({ sender: `agent${i % 3}`, i, text: `message ${i} ✓`, nested: { a: [i, null, true] } }));
    for (const [i, p] of sent.entries()) await pub.send(i % 2 ? ["chat", JSON.stringify(p)] : [JSON.stringify(p)]);
    const recs = messagesOf(await waitForMessages(logs, N));
    expect(recs.map((r) => r.payload)).toEqual(sent);
    expect(recs.map((r) => r.topic)).toEqual(sent.map((_, i) => (i % 2 ? "chat" : "")));
    expect(recs[4].meta).toMatchObject({ agent: "agent1", ace_tier: 3, chain_type: "broadcast" });

    const live = cli("status", "--json", "--logs", logs);
    expect(live.status).toBe(0);
    expect(JSON.parse(live.stdout)).toMatchObject({ alive: true, status: { pid: recorder.proc.pid, state: "recording", endpoints: [{ endpoint: ep, connected: true }] } });

    const t0 = Date.now();
    recorder.proc.kill("SIGTERM");
    expect(await recorder.exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(5000);
    const all = await readSession(logs);
    expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all.at(-1)).toMatchObject({ kind: "event", event: "recorder_stopped" });
    const [final] = await listCheckpoints(logs);
    expect(final).toMatchObject({ label: "final", messages: N });
    expect(await verifyCheckpoint(logs, final.id)).toEqual({ ok: true });
    expect(eventsOf(all, "checkpoint")).toMatchObject([{ id: final.id }]);

    const dead = cli("status", "--logs", logs);
    expect(dead.status).toBe(1);
    expect(dead.stdout).toMatch(/not running: stopped/);

    const offline = cli("checkpoint", "--logs", logs, "offline"); // no recorder: straight on the files
    expect(offline.status).toBe(0);
    const [latest] = await listCheckpoints(logs);
    expect(latest).toMatchObject({ label: "offline", messages: N, bytes: (await fs.stat(logsPaths(logs).current)).size });
    expect(await verifyCheckpoint(logs, latest.id)).toEqual({ ok: true });
  });

  it("keeps every kind of malformed message losslessly, and oversize ones by size and hash", async () => {
    const logs = await tmpDir();
    const ep = await freeEndpoint();
    await startRecorder(logs, ep, ["--max-message-bytes", "1KiB"]);
    const pub = await bindPublisher(ep);
    const malformed: Buffer[][] = [
      [Buffer.from("t"), Buffer.from([0, 1, 2, 0xff])],
      [Buffer.from("t"), Buffer.from([0x7b, 0xc3, 0x28, 0x7d])],
      [Buffer.from("t"), Buffer.from("{not json")],
      [Buffer.from("t"), Buffer.alloc(0)],
      [Buffer.alloc(0)],
      [Buffer.from("a"), Buffer.from("{}"), Buffer.from("{}")],
      [Buffer.from([0xff, 0xfe]), Buffer.from("{}")],
    ];
    for (const frames of malformed) await pub.send(frames);
    await pub.send([Buffer.from("big"), Buffer.alloc(2048, 1)]);
    const recs = messagesOf(await waitForMessages(logs, malformed.length + 1));
    expect(recs.slice(0, -1).map((r) => r.frames!.map(frameBytes))).toEqual(malformed);
    expect(recs.slice(0, -1).every((r) => r.payload === undefined)).toBe(true);
    expect(recs.at(-1)).toMatchObject({ topic: "big", oversize: { bytes: 2051, frames: 2, limit: 1024 } });
  });

  it("answers the control channel only with the token from its owner-only file", async () => {
    const logs = await tmpDir();
    const ep = await freeEndpoint();
    const { proc } = await startRecorder(logs, ep);
    const file = logsPaths(logs).control;
    if (process.platform !== "win32") expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const { port } = JSON.parse(await fs.readFile(file, "utf8"));
    const ask = (line: string) =>
      new Promise<string>((resolve, reject) => {
        const s = net.connect({ host: "127.0.0.1", port }, () => s.write(line + "\n"));
        let data = "";
        s.on("data", (d) => (data += d.toString()));
        s.on("end", () => resolve(data));
        s.on("error", reject);
      });
    const refused = { ok: false, error: "bad token", pid: proc.pid }; // every answer names the recorder
    expect(JSON.parse(await ask(JSON.stringify({ token: "guess", cmd: "stop" })))).toEqual(refused);
    expect(JSON.parse(await ask(JSON.stringify({ cmd: "checkpoint" })))).toEqual(refused);
    expect(await sendControl(logs, "ping")).toMatchObject({ state: "waiting_for_broker" }); // no broker in this test

    const cp = cli("checkpoint", "--logs", logs, "by hand");
    expect(cp.status).toBe(0);
    expect(cp.stdout).toMatch(/checkpoint \S+_by-hand/);
    expect(await listCheckpoints(logs)).toMatchObject([{ label: "by hand" }]);
  });

  it("takes automatic checkpoints only when something new was recorded", async () => {
    const logs = await tmpDir();
    const ep = await freeEndpoint();
    await startRecorder(logs, ep, ["--checkpoint-every", "300ms"]);
    const pub = await bindPublisher(ep);
    await pub.send(JSON.stringify({ sender: "a", text: "one" }));
    await waitFor(async () => (await listCheckpoints(logs)).length === 1, { what: "an automatic checkpoint" });
    const status = async () => JSON.parse(await fs.readFile(logsPaths(logs).status, "utf8"));
    const after = (await status()).updated_at;
    await waitFor(async () => (await status()).updated_at > after && Date.parse((await status()).updated_at) - Date.parse(after) > 1000, { what: "time to pass" });
    expect(await listCheckpoints(logs)).toHaveLength(1);
    await pub.send(JSON.stringify({ sender: "a", text: "two" }));
    await waitFor(async () => (await listCheckpoints(logs)).length === 2, { what: "a second checkpoint" });
  });
});

describe("session commands through the running recorder", () => {
  it("new seals the session; load starts one from a checkpoint's messages", async () => {
    const logs = await tmpDir();
    const ep = await freeEndpoint();
    await startRecorder(logs, ep);
    const pub = await bindPublisher(ep);
    await pub.send(JSON.stringify({ sender: "a", text: "first" }));
    await waitForMessages(logs, 1);
    const cp = (await sendControl(logs, "checkpoint", { label: "one" })) as { id: string };
    const made = (await sendControl(logs, "new")) as { sealed: string; session: string };
    // sealed, and compressed in the background soon after (src/compact/autoCompact.ts)
    expect((await fs.readdir(logsPaths(logs).sessions)).some((n) => n === `${made.sealed}.jsonl` || n === `${made.sealed}.jsonl.swc`)).toBe(true);
    expect(messagesOf(await readSession(logs))).toHaveLength(0);
    await sendControl(logs, "load", { checkpoint: cp.id });
    await pub.send(JSON.stringify({ sender: "a", text: "after load" }));
    const recs = messagesOf(await waitForMessages(logs, 2));
    expect(recs.map((r) => [r.payload, r.loaded_from?.checkpoint])).toEqual([
      [{ sender: "a", text: "first" }, cp.id],
      [{ sender: "a", text: "after load" }, undefined],
    ]);
    await expect(sendControl(logs, "load", { checkpoint: "nope" })).rejects.toThrow(/no checkpoint "nope"/);
  });
});
