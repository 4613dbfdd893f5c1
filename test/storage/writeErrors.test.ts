// A real write error: the writer runs in a child process whose file-size limit (RLIMIT_FSIZE) makes writes past it
// fail with EFBIG, then the limit is lifted from outside (prlimit --pid) and writing resumes.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { parseRecordLine, type EventRecord, type SessionRecord } from "../../src/record.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { CAN_LIMIT_FILE_SIZE, requirePrlimit } from "../helpers/prlimit.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/writeUnderLimit.ts", import.meta.url));
const LIMIT = 64 * 1024;
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

function linesOf(text: string): SessionRecord[] {
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n").map(parseRecordLine);
}

async function readLines(logsDir: string): Promise<SessionRecord[]> {
  return linesOf(await fs.readFile(logsPaths(logsDir).current, "utf8"));
}

describe("write errors", () => {
  it.runIf(CAN_LIMIT_FILE_SIZE)("keeps a bounded backlog, drops beyond it, and on resume writes the backlog then a gap event", async () => {
    requirePrlimit();
    const dir = await tmpDir();
    await (await SessionWriter.open(dir)).close(); // the session file exists before the limit applies
    const child = spawn("prlimit", [`--fsize=${LIMIT}:unlimited`, process.execPath, "--import", "tsx", FIXTURE, dir], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    children.push(child);
    const reports: { phase: string; stats: Record<string, number | string>; durable: number[]; dropped?: number[] }[] = [];
    let buf = "";
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf("\n"); nl !== -1; nl = buf.indexOf("\n")) {
        reports.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
    });

    const blocked = await waitFor(() => reports.find((r) => r.phase === "blocked"), { what: "the backlog to fill" });
    expect(blocked.stats.lastError).toMatch(/EFBIG/);
    expect(blocked.stats.backlogBytes).toBeGreaterThan(15_000);
    expect(blocked.stats.dropped).toBeGreaterThanOrEqual(5);
    // Cut back to the last durable size after each failed try: the file holds only whole records, all of them
    // reported durable (a retry in progress may have a partial batch in flight for a moment, hence the wait).
    const atBlock = await waitFor(
      async () => {
        const text = await fs.readFile(logsPaths(dir).current, "utf8");
        return text.endsWith("\n") ? linesOf(text) : undefined;
      },
      { what: "a clean file" },
    );
    expect((await fs.stat(logsPaths(dir).current)).size).toBeLessThanOrEqual(LIMIT);
    expect(atBlock.length).toBe(blocked.stats.lastSeq);

    expect(spawnSync("prlimit", ["--pid", String(child.pid), "--fsize=unlimited:unlimited"]).status).toBe(0);
    child.stdin!.write("go\n");
    const done = await waitFor(() => reports.find((r) => r.phase === "done"), { what: "writing to resume", timeoutMs: 20_000 });

    const lines = await readLines(dir);
    expect(lines.map((r) => r.seq)).toEqual(lines.map((_, i) => i + 1));
    const ids = lines.flatMap((r) => (r.kind === "message" ? [(r.payload as { i: number }).i] : []));
    expect([...ids].sort((a, b) => a - b)).toEqual([...done.durable].sort((a, b) => a - b));
    const gaps = lines.filter((r): r is EventRecord => r.kind === "event" && r.event === "gap");
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ dropped: done.dropped!.length, reason: expect.stringMatching(/EFBIG/) });
    expect(Date.parse(gaps[0].from_ts as string)).toBeLessThanOrEqual(Date.parse(gaps[0].to_ts as string));
    // The gap sits where the dropped records would have been: after the backlog, before what came later.
    const gapAt = lines.indexOf(gaps[0]);
    const firstDropped = Math.min(...done.dropped!);
    expect(lines.slice(0, gapAt).every((r) => r.kind !== "message" || (r.payload as { i: number }).i < firstDropped)).toBe(true);
    expect(lines.slice(gapAt + 1).every((r) => r.kind !== "message" || (r.payload as { i: number }).i > firstDropped)).toBe(true);
    expect(done.stats.dropped).toBe(done.dropped!.length);
    expect(done.stats.backlogBytes).toBe(0);
    expect(done.stats.lastError).toBeUndefined();
  });
});
