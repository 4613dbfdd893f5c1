// A status file's content as a recorder that has stopped leaves it; a test sets the fields it is about.
import type { RecorderStatus } from "../../src/control/recorderStatus.ts";

export function stoppedStatus(logsDir: string, more: Partial<RecorderStatus> = {}): RecorderStatus {
  return {
    pid: 1,
    started_at: "2026-12-01T10:00:00.000Z",
    updated_at: "2026-12-01T10:05:00.000Z",
    logs_dir: logsDir,
    state: "stopped",
    endpoints: [],
    session: { id: "20261201T100000Z-abcd", records: 3, messages: 2, bytes: 100 },
    rates: { last_1s: 0, last_1m: 0 },
    history: [],
    sync_ms: { p50: 1, p99: 2 },
    last_checkpoint: null,
    recoveries: 0,
    enrich_errors: 0,
    dropped: 0,
    backlog_bytes: 0,
    errors: [],
    ...more,
  };
}
