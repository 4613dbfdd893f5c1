import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { recoverSessionFile } from "../../src/storage/recovery.ts";
import { tmpDir } from "../helpers/tmp.ts";

const line = (seq: number, extra = "") => `{"v":1,"seq":${seq},"ts":"2026-01-01T00:00:00.000Z","kind":"event","event":"x${extra}"}\n`;

async function setup(content: string | Buffer) {
  const dir = await tmpDir();
  const file = path.join(dir, "current_session.jsonl");
  const log = path.join(dir, "recovery", "crash_recovery.jsonl");
  await fs.writeFile(file, content);
  return { file, log };
}

async function logEntries(log: string) {
  return (await fs.readFile(log, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
}

describe("torn-tail recovery", () => {
  it("leaves a clean file alone and reports its last record", async () => {
    const { file, log } = await setup(line(1) + line(2));
    const r = await recoverSessionFile(file, log);
    expect(r.cut).toBeUndefined();
    expect(r.damaged).toEqual([]);
    expect(r.lastRecord?.seq).toBe(2);
    expect(r.size).toBe((line(1) + line(2)).length);
    await expect(fs.access(log)).rejects.toThrow();
  });

  it("cuts a partial last line, saving its bytes, offset and reason to the recovery log first", async () => {
    const good = line(1) + line(2);
    const torn = line(3).slice(0, 20);
    const { file, log } = await setup(good + torn);
    const r = await recoverSessionFile(file, log);
    expect(r.cut).toEqual({ offset: good.length, length: torn.length, reason: "partial last line" });
    expect(r.lastRecord?.seq).toBe(2);
    expect(await fs.readFile(file, "utf8")).toBe(good);
    const [entry] = await logEntries(log);
    expect(entry).toMatchObject({ file: "current_session.jsonl", offset: good.length, length: torn.length, reason: "partial last line" });
    expect(Buffer.from(entry.bytes_base64, "base64").toString()).toBe(torn);
    expect(Date.parse(entry.at)).not.toBeNaN();
    expect((await fs.stat(log)).mode & 0o777).toBe(0o600);
  });

  it("cuts a complete but unparsable last line (zeros a crash left behind)", async () => {
    const good = line(1);
    const { file, log } = await setup(Buffer.concat([Buffer.from(good), Buffer.alloc(10), Buffer.from("\n")]));
    const r = await recoverSessionFile(file, log);
    expect(r.cut).toMatchObject({ offset: good.length, length: 11, reason: "unparsable last line" });
    expect(await fs.readFile(file, "utf8")).toBe(good);
  });

  it("cuts both an unparsable last line and a partial one after it", async () => {
    const good = line(1);
    const { file, log } = await setup(good + "garbage\n" + "{\"v\":1,");
    const r = await recoverSessionFile(file, log);
    expect(r.cut?.reason).toBe("partial last line, unparsable last line");
    expect(await fs.readFile(file, "utf8")).toBe(good);
  });

  it("reports the highest seq the file held, the cut lines included, so that none is given again", async () => {
    const torn = await setup(line(1) + line(2) + line(3).slice(0, 25));
    expect(await recoverSessionFile(torn.file, torn.log)).toMatchObject({ lastRecord: { seq: 2 }, maxSeq: 3 });
    const zeros = await setup(Buffer.concat([Buffer.from(line(1)), Buffer.alloc(8), Buffer.from("\n"), Buffer.alloc(4)]));
    expect(await recoverSessionFile(zeros.file, zeros.log)).toMatchObject({ lastRecord: { seq: 1 }, maxSeq: 3 }); // two cut lines, no seq shown
    const damaged = await setup(line(1) + line(7).replace('"event"', '"ev') + line(8) + line(9).replace("}", ""));
    expect(await recoverSessionFile(damaged.file, damaged.log)).toMatchObject({ lastRecord: { seq: 8 }, maxSeq: 9 });
  });

  it("never cuts a damaged line in the middle: it is reported and kept", async () => {
    const content = line(1) + "{broken\n" + line(3);
    const { file, log } = await setup(content);
    const r = await recoverSessionFile(file, log);
    expect(r.cut).toBeUndefined();
    expect(r.damaged).toEqual([{ offset: line(1).length, length: 7, reason: "unparsable line" }]);
    expect(await fs.readFile(file, "utf8")).toBe(content);
  });

  it("handles a file that is nothing but a partial line, and a last line longer than its read chunks", async () => {
    const { file, log } = await setup('{"v":1,"seq":1');
    expect((await recoverSessionFile(file, log)).size).toBe(0);
    const long = line(2, "y".repeat(300_000));
    const second = await setup(line(1) + long + long.slice(0, 200_000));
    const r = await recoverSessionFile(second.file, second.log);
    expect(r.cut).toMatchObject({ offset: line(1).length + long.length, length: 200_000 });
    expect(r.lastRecord?.seq).toBe(2);
  });
});
