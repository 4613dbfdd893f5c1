import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCheckpoint } from "../../src/storage/checkpoints.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { shearwaterSync } from "../helpers/cli.ts";


describe("shearwater checkpoints", () => {
  it("lists the active session, then checkpoints newest first, as lines and as JSON", async () => {
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir);
    await w.append({ kind: "message", topic: "t", payload: "hi", meta: {} });
    const first = await createCheckpoint(dir, await w.snapshot(), "first one");
    await w.append({ kind: "message", topic: "t", payload: "again", meta: {} });
    const second = await createCheckpoint(dir, await w.snapshot(), "second");
    await w.close();

    const text = shearwaterSync("checkpoints", "--logs", dir);
    expect(text.status).toBe(0);
    const rows = text.stdout.trim().split("\n");
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\| 2 msgs \\| 0\\.00MB \\| \\(current session ${w.sessionId}\\)$`));
    expect(rows[1]).toMatch(/ \| 2 msgs \| 0\.00MB \| second$/);
    expect(rows[2]).toMatch(/ \| 1 msgs \| 0\.00MB \| first one$/);

    const json = JSON.parse(shearwaterSync("checkpoints", "--json", "--logs", dir).stdout);
    expect(json.current).toMatchObject({ session: w.sessionId, messages: 2, records: 3 });
    expect(json.checkpoints.map((c: { id: string }) => c.id)).toEqual([second.id, first.id]);
    expect(Object.keys(json.checkpoints[0])).toEqual(expect.arrayContaining(["id", "label", "created_at", "messages", "bytes", "session"]));
  });

  it("names a damaged checkpoint file and goes on listing the others", async () => {
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir);
    await w.append({ kind: "message", topic: "t", payload: "hi", meta: {} });
    const good = await createCheckpoint(dir, await w.snapshot(), "good");
    await w.close();
    await fs.writeFile(path.join(dir, "checkpoints", "20260101T000000000Z_bad.json"), "{broken");

    const r = shearwaterSync("checkpoints", "--logs", dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ \| good$/m);
    expect(r.stderr).toMatch(/unreadable checkpoint .*20260101T000000000Z_bad\.json/);
    expect(JSON.parse(shearwaterSync("checkpoints", "--json", "--logs", dir).stdout).checkpoints.map((c: { id: string }) => c.id)).toEqual([good.id]);
  });

  it("says so when the folder is empty, and has --help", async () => {
    const dir = await tmpDir();
    const r = shearwaterSync("checkpoints", "--logs", dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/no sessions or checkpoints/);
    expect(shearwaterSync("checkpoints", "--help").stdout).toMatch(/--json/);
  });
});
