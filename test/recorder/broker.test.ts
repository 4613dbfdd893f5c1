// `shearwater broker` and `shearwater send` as real processes.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Subscriber } from "zeromq";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { spawnShearwater } from "./support.ts";

describe("the reference broker and send", () => {
  it("forwards a sent message to subscribers, and names a port in use", async () => {
    const [pub, sub] = [await freeEndpoint(), await freeEndpoint()];
    const broker = spawnShearwater(["broker", "--pub", pub, "--sub", sub]);
    await waitFor(() => broker.stderr().includes("publishers →"), { what: "the broker to start", timeoutMs: 15_000 });
    const subscriber = new Subscriber();
    try {
      subscriber.connect(sub);
      subscriber.subscribe();
      const received = subscriber.receive();
      const sent = spawnSync(process.execPath, [BIN_PATH, "send", "--pub", pub, "--from", "alice", "--to", "bob", "--topic", "chat", "hi there"], {
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(sent.status).toBe(0);
      const [topic, body] = (await received).map(String);
      expect(topic).toBe("chat");
      expect(JSON.parse(body)).toEqual({ ...JSON.parse(sent.stdout), sender: "alice", recipient: "bob", type: "message", text: "hi there" });
      expect(JSON.parse(body)).toMatchObject({ ts: expect.any(String), id: expect.any(String) });

      const second = spawnShearwater(["broker", "--pub", pub, "--sub", sub]);
      expect((await second.exit).code).toBe(1);
      expect(second.stderr()).toMatch(/already in use.*--pub\/--sub/);
    } finally {
      subscriber.close();
      broker.proc.kill("SIGTERM");
      await broker.exit;
    }
  });
});
