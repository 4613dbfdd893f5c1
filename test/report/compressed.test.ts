// A report reads a compressed session (`shearwater compact`) through the same seam as a plain one: over several
// compressed blocks and read buffers, the figures are those of the plain session, for the session and a checkpoint.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { writeSession, type MessageSpec } from "./sessions.ts";

const SESSION = "20261124T100000Z-big";

function figures(...args: string[]): Partial<Report> {
  const run = shearwaterSync("report", "--json", ...args);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const { generated_at: _at, ...rest } = JSON.parse(run.stdout) as Report;
  return rest;
}

describe("a report of a compressed session", () => {
  it("equals the report of the same session plain, whole and to a checkpoint", async () => {
    const logs = path.join(await tmpDir(), "logs");
    // About 3 MB: several 1 MiB blocks and read buffers, lines cut by both.
    const messages: MessageSpec[] = Array.from({ length: 6_000 }, (_, i) => ({
      at: i * 10,
      payload: { id: `m${i}`, ...(i % 2 ? { reply_to: `m${i - 1}` } : {}), text: `${"word ".repeat(80 + (i % 50))}é${i}` },
      meta: { agent: `agent${i % 5}`, recipient: `agent${(i + 1) % 5}`, ace_tier: ((i % 3) + 1) as 1 | 2 | 3, chain_type: i % 2 ? "response" : "request", chain_id: `c${Math.floor(i / 2)}` },
    }));
    const file = await writeSession(logs, messages, SESSION);
    const cp = shearwaterSync("checkpoint", "--logs", logs, "midway");
    expect(cp.status).toBe(0);
    const checkpoint = /checkpoint (\S+):/.exec(cp.stdout)![1];
    await fs.mkdir(path.join(logs, "sessions"), { recursive: true, mode: 0o700 });
    await fs.rename(file, path.join(logs, "sessions", `${SESSION}.jsonl`));
    const plain = figures("--logs", logs, "--session", SESSION);
    const plainCheckpoint = figures("--logs", logs, "--checkpoint", checkpoint);
    expect(plain.messages).toBe(6_000);
    expect(plain.reply_latency_ms).toMatchObject({ "agent0→agent1": { p50: 10, n: 600 } });

    const compact = shearwaterSync("compact", "--logs", logs, "--json");
    expect(compact.status, compact.stderr).toBe(0);
    const names = await fs.readdir(path.join(logs, "sessions"));
    expect(names).toEqual([`${SESSION}.jsonl.swc`]);
    expect(figures("--logs", logs, "--session", SESSION)).toEqual(plain);
    expect(figures("--logs", logs, "--checkpoint", checkpoint)).toEqual(plainCheckpoint);
  });
});
