// The conversation the launcher hands to an agent leaves the logs folder: its secrets are masked and counted, in
// the JSONL and the Markdown alike (the real executable: `launch` continues a session that holds secrets).
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";

const KEY = ["sk-ant-", "api03-", "Z".repeat(40)].join("");

describe("the launcher's transcripts", () => {
  it("mask secrets in both files and say how many", async () => {
    const logs = path.join(await tmpDir(), "logs");
    await fs.mkdir(logs, { recursive: true });
    const payload = { sender: "planner", text: `use ${KEY} against postgres://app:pw99@db/x`, env: { API_KEY: "abc" } };
    const lines = [
      { v: 1, seq: 1, ts: "2026-02-12T10:00:00.000Z", kind: "event", event: "session_started", session: "20260212T100000Z-abcd" },
      { v: 1, seq: 2, ts: "2026-02-12T10:00:01.000Z", kind: "message", topic: "agents", payload, meta: { agent: "planner" } },
    ];
    await fs.writeFile(logsPaths(logs).current, lines.map((l) => JSON.stringify(l)).join("\n") + "\n", { mode: 0o600 });
    const broker = await freeEndpoint();
    try {
      const run = shearwaterSync("launch", "--agent", "alpha", "--logs", logs, "--broker", broker, "--json", "--no-menu");
      expect(run.status).toBe(0);
      const { transcript } = JSON.parse(run.stdout);
      expect(transcript.redacted).toBe(3);
      const jsonl = await fs.readFile(transcript.jsonl, "utf8");
      const md = await fs.readFile(transcript.markdown, "utf8");
      expect(JSON.parse(jsonl).payload).toEqual({
        sender: "planner",
        text: "use [REDACTED:anthropic-key] against postgres://app:[REDACTED:url-password]@db/x",
        env: { API_KEY: "[REDACTED:password]" },
      });
      expect(md).toContain("use [REDACTED:anthropic-key] against postgres://app:[REDACTED:url-password]@db/x");
      for (const text of [jsonl, md]) expect(text).not.toContain(KEY);
      expect(await fs.readFile(logsPaths(logs).current, "utf8")).toContain(KEY); // the session keeps what was said
    } finally {
      shearwaterSync("stop", "--logs", logs);
    }
  });

  it("copy a message without a secret byte for byte: big integers, 1e400, -0, duplicate keys", async () => {
    const logs = path.join(await tmpDir(), "logs");
    await fs.mkdir(logs, { recursive: true });
    const message = '{"v":1,"seq":2,"ts":"2026-02-12T10:00:01.000Z","kind":"message","topic":"t","meta":{},"payload":{"n":12345678901234567890,"x":1e400,"z":-0,"k":1,"k":2}}';
    const start = '{"v":1,"seq":1,"ts":"2026-02-12T10:00:00.000Z","kind":"event","event":"session_started","session":"20260212T100000Z-abcd"}';
    await fs.writeFile(logsPaths(logs).current, `${start}\n${message}\n`, { mode: 0o600 });
    try {
      const run = shearwaterSync("launch", "--agent", "alpha", "--logs", logs, "--broker", await freeEndpoint(), "--json", "--no-menu");
      expect(run.status).toBe(0);
      expect(await fs.readFile(JSON.parse(run.stdout).transcript.jsonl, "utf8")).toBe(`${message}\n`);
    } finally {
      shearwaterSync("stop", "--logs", logs);
    }
  });
});
