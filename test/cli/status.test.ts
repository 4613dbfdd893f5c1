import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { RecorderStatus } from "../../src/control/recorderStatus.ts";
import { ensureLogsDir } from "../../src/storage/logsDir.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { HOSTILE, TERMINAL_UNSAFE } from "../helpers/hostileText.ts";
import { stoppedStatus } from "../helpers/recorderStatus.ts";
import { tmpDir } from "../helpers/tmp.ts";

const status = (session: RecorderStatus["session"]): RecorderStatus =>
  stoppedStatus("/x", { endpoints: [{ endpoint: "tcp://127.0.0.1:5555", connected: false, since: null }], session });

describe("shearwater status", () => {
  it("prints the session's counts, marked as partial while the recorder is still counting an opened session", async () => {
    const logs = await tmpDir();
    const paths = await ensureLogsDir(logs);
    const session = { id: "20261201T100000Z-abcd", records: 1200, messages: 1100, bytes: 1 << 20 };
    await fs.writeFile(paths.status, JSON.stringify(status({ ...session, counting: true })));
    const counting = shearwaterSync("status", "--logs", logs);
    expect(counting.status).toBe(1); // stopped
    expect(counting.stdout).toContain("session:  20261201T100000Z-abcd: 1100+ messages, 1200+ records (counting the file's records), 1.0 MiB");
    await fs.writeFile(paths.status, JSON.stringify(status(session)));
    expect(shearwaterSync("status", "--logs", logs).stdout).toContain("session:  20261201T100000Z-abcd: 1100 messages, 1200 records, 1.0 MiB");
  });
});

describe("shearwater status, what was lost and what taps keep", () => {
  it("names the records a stop or a crash did not write, and the taps' figures", async () => {
    const logs = await tmpDir();
    const paths = await ensureLogsDir(logs);
    await fs.writeFile(
      paths.status,
      JSON.stringify({
        ...status({ id: "20261201T100000Z-abcd", records: 1, messages: 1, bytes: 1 }),
        state: "crashed",
        unwritten: { records: 7, reason: "the recorder crashed: boom", from_ts: "2026-12-01T10:04:00.000Z", to_ts: "2026-12-01T10:04:01.000Z" },
        taps: { files: 3, records: 40, vanished: 1, errors: 0 },
      }),
    );
    const text = shearwaterSync("status", "--logs", logs).stdout;
    expect(text).toContain("unwritten: 7 records from 2026-12-01T10:04:00.000Z to 2026-12-01T10:04:01.000Z: the recorder crashed: boom");
    expect(text).toContain("taps:     3 transcript files, 40 records, 1 files deleted by their agent (kept here), 0 errors");
  });
});

describe("shearwater status with hostile text in the status file", () => {
  it("shows labels, endpoints and errors escaped, and --json escapes them yet parses back to the same status", async () => {
    const logs = await tmpDir();
    const paths = await ensureLogsDir(logs);
    const hostile: RecorderStatus = {
      ...status({ id: "20261201T100000Z-abcd", records: 1, messages: 1, bytes: 1 }),
      endpoints: [{ endpoint: `tcp://${HOSTILE}`, connected: false, since: null }],
      last_checkpoint: { id: "20261201T100500000Z_evil", label: HOSTILE, created_at: "2026-12-01T10:05:00.000Z" },
      errors: [{ at: "2026-12-01T10:04:00.000Z", message: `write failed: ${HOSTILE}` }],
    };
    await fs.writeFile(paths.status, JSON.stringify(hostile));

    const text = shearwaterSync("status", "--logs", logs);
    expect(text.stdout).not.toMatch(TERMINAL_UNSAFE);
    expect(text.stdout).toContain(`labelled "evil ␛[2J␛]0;owned␇ \\x9b31m \\u202egnp.exe`);
    expect(text.stdout).toContain("broker:   tcp://evil ␛[2J");
    expect(text.stdout).toContain("write failed: evil ␛[2J");

    const json = shearwaterSync("status", "--json", "--logs", logs);
    expect(json.stdout).not.toMatch(TERMINAL_UNSAFE);
    expect(JSON.parse(json.stdout).status).toEqual(hostile);
  });
});
