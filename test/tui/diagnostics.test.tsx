// The diagnostics pane over a real logs folder: the taps' figures and the unwritten records from the status file, the
// compression of the sealed sessions and the last backup from the files themselves.
import { describe, expect, it } from "vitest";
import fs from "node:fs/promises";
import path from "node:path";
import { backupLogs } from "../../src/backup/backup.ts";
import { compactLogs } from "../../src/compact/compact.ts";
import { newSession } from "../../src/storage/sessions.ts";
import { HOSTILE } from "../helpers/hostileText.ts";
import { stoppedStatus } from "../helpers/recorderStatus.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { open } from "./appHarness.tsx";
import { sessionWith } from "./session.ts";

describe("the diagnostics pane", () => {
  it("shows the taps, the unwritten records, the compression of sealed sessions and the last backup", async () => {
    const dir = await tmpDir();
    await (await sessionWith(dir, 400)).close();
    await newSession(dir); // seals the 400 messages
    await compactLogs(dir);
    await backupLogs(dir, await tmpDir());
    const status = stoppedStatus(dir, {
      taps: { files: 3, records: 120, vanished: 1, errors: 2, lastError: `cannot read ${HOSTILE}` },
      unwritten: { records: 7, reason: "cut short", from_ts: "2026-12-01T10:04:58.000Z", to_ts: "2026-12-01T10:05:00.000Z" },
    });
    await fs.writeFile(path.join(dir, "recorder.status.json"), JSON.stringify(status));
    const t = await open(dir, { columns: 200, rows: 40 });
    await t.press("D");
    await t.see("taps: 3 transcript files, 120 records, 1 files deleted by their agent (kept here), 2 errors");
    await t.see("last tap error: cannot read evil ␛[2J");
    await t.see("unwritten: 7 records from 2026-12-01T10:04:58.000Z to 2026-12-01T10:05:00.000Z: cut short");
    await t.see(/sealed: +1 sessions, 1 compressed: [\d.]+ MiB in [\d.]+ MiB \([\d.]+×\)/);
    await t.see(/backup: +last ok \d+ s ago/);
    const ratio = Number(/\(([\d.]+)×\)/.exec(t.frame())![1]);
    expect(ratio).toBeGreaterThan(1);
    expect(t.ui.lastFrame()).not.toContain("\u001b[2J");
  });

  it("leaves the taps and unwritten lines out when the status file has none", async () => {
    const dir = await tmpDir();
    await (await sessionWith(dir, 2)).close();
    await fs.writeFile(path.join(dir, "recorder.status.json"), JSON.stringify(stoppedStatus(dir, {})));
    const t = await open(dir, { columns: 200, rows: 40 });
    await t.press("D");
    await t.see(/sealed: +0 sessions, 0 compressed/);
    await t.see("backup:   last ok never");
    expect(t.frame()).not.toContain("taps:");
    expect(t.frame()).not.toContain("unwritten:");
  });
});
