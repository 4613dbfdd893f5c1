import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCheckpoint } from "../../src/storage/checkpoints.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { HOSTILE, TERMINAL_UNSAFE } from "../helpers/hostileText.ts";


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
    const rows = text.stdout.trimEnd().split("\n");
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^ID +TIME \(UTC\) +MESSAGES +SIZE +SESSION +LABEL$/);
    const cells = (row: string) => row.split(/ {2,}/);
    const time = /^\d{4}-\d\d-\d\d \d\d:\d\d$/;
    expect(cells(rows[1])).toEqual(["(current)", expect.stringMatching(time), "2", "0.00 MiB", w.sessionId, "the active session"]);
    expect(cells(rows[2])).toEqual([second.id, expect.stringMatching(time), "2", "0.00 MiB", w.sessionId, "second"]);
    expect(cells(rows[3])).toEqual([first.id, expect.stringMatching(time), "1", "0.00 MiB", w.sessionId, "first one"]);
    // Aligned: every column starts where its title does.
    for (const title of ["TIME", "SESSION", "LABEL"]) {
      const at = rows[0].indexOf(title);
      for (const row of rows.slice(1)) expect(row[at - 1] === " " && row[at] !== " ").toBe(true);
    }
    for (const title of ["MESSAGES", "SIZE"]) {
      const end = rows[0].indexOf(title) + title.length;
      for (const row of rows.slice(1)) expect(row[end - 1] !== " " && row[end] === " ").toBe(true);
    }

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
    expect(r.stdout).toMatch(/ good$/m);
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

describe("shearwater checkpoints with hostile labels", () => {
  it("shows escape sequences and bidi controls as visible text, and --json escapes them yet parses back to the label", async () => {
    const dir = await tmpDir();
    const w = await SessionWriter.open(dir);
    await w.append({ kind: "message", topic: "t", payload: "hi", meta: {} });
    await createCheckpoint(dir, await w.snapshot(), HOSTILE);
    await w.close();

    const text = shearwaterSync("checkpoints", "--logs", dir);
    expect(text.status).toBe(0);
    expect(text.stdout).not.toMatch(TERMINAL_UNSAFE);
    expect(text.stdout).toContain("evil ␛[2J␛]0;owned␇ \\x9b31m \\u202egnp.exe \\u2066x\\u2069 \\u200f\\u061c\\u2028\\u2029␡ end");

    const json = shearwaterSync("checkpoints", "--json", "--logs", dir);
    expect(json.stdout).not.toMatch(TERMINAL_UNSAFE);
    expect(json.stdout).toContain(String.raw`\u001b[2J\u001b]0;owned\u0007 \u009b31m \u202egnp.exe`);
    expect(JSON.parse(json.stdout).checkpoints[0].label).toBe(HOSTILE);
  });
});
