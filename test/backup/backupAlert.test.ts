// The backup-age alert of a real recorder: it fires while the folder has no good backup within the limit, and
// clears once a backup succeeds.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { backupLogs } from "../../src/backup/backup.ts";
import type { AlertEvent } from "../../src/recorder/alertSpec.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { startRecorder } from "../recorder/support.ts";

describe("the backup-age alert", () => {
  it("fires with no backup, clears after one, fires again once it is older than the limit", async () => {
    const dir = await tmpDir();
    const logs = path.join(dir, "logs");
    const out = path.join(dir, "alerts.jsonl");
    await startRecorder(logs, await freeEndpoint(), ["--alert", "backup-age=4s", "--alert-command", `cat >> '${out}'`]);
    const alerts = async () => (await fs.readFile(out, "utf8").catch(() => "")).split("\n").filter(Boolean).map((l) => JSON.parse(l) as AlertEvent);
    const nth = (n: number) => waitFor(async () => (await alerts()).length >= n, { timeoutMs: 20_000, what: `alert ${n}` });
    await nth(1);
    expect((await alerts())[0]).toMatchObject({ alert: "backup-age", state: "firing", message: "no backup of this logs folder yet" });
    const ok = await backupLogs(logs, path.join(dir, "dest"));
    await nth(2);
    expect((await alerts())[1]).toMatchObject({ alert: "backup-age", state: "cleared" });
    await nth(3);
    expect((await alerts())[2].message).toMatch(new RegExp(`^the last good backup \\(${ok.id} to .*\\) is \\d+ s old, the limit is 4 s$`));
  }, 40_000);
});
