import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { RecorderStatus } from "../../src/control/recorderStatus.ts";
import { ensureLogsDir } from "../../src/storage/logsDir.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { tmpDir } from "../helpers/tmp.ts";

const status = (session: RecorderStatus["session"]): RecorderStatus => ({
  pid: 1,
  started_at: "2026-12-01T10:00:00.000Z",
  updated_at: "2026-12-01T10:05:00.000Z",
  logs_dir: "/x",
  state: "stopped",
  endpoints: [{ endpoint: "tcp://127.0.0.1:5555", connected: false, since: null }],
  session,
  rates: { last_1s: 0, last_1m: 0 },
  history: [],
  sync_ms: { p50: 1, p99: 2 },
  last_checkpoint: null,
  recoveries: 0,
  enrich_errors: 0,
  dropped: 0,
  backlog_bytes: 0,
  errors: [],
});

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
