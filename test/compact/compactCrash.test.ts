// kill -9 during compaction loses nothing, and the next run finishes the job.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeCompressed } from "../../src/compact/blockWriter.ts";
import { compactLogs } from "../../src/compact/compact.ts";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { compressedFileOf } from "../../src/storage/sessionSource.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { bigSealed, sessionBytes } from "./sealedSession.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("compaction, crash-safe", () => {
  it("kill -9 while compressing leaves the plain session whole; the next run compresses it", async () => {
    const dir = await tmpDir();
    const { file, bytes } = await bigSealed(dir, "20261124T010000Z-kill", 48);
    const child = spawn(process.execPath, [BIN_PATH, "compact", "--logs", dir], { stdio: "ignore" });
    const temp = `${compressedFileOf(file)}.tmp`;
    await waitFor(async () => ((await fs.stat(temp).catch(() => null))?.size ?? 0) > 1 << 20, { timeoutMs: 20_000 });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(sha(await fs.readFile(file))).toBe(sha(bytes));
    await expect(fs.access(compressedFileOf(file))).rejects.toThrow();
    const result = await compactLogs(dir);
    expect(result.compacted).toHaveLength(1);
    expect(await fs.readdir(path.dirname(file))).toEqual([path.basename(compressedFileOf(file))]);
    expect(await sessionBytes(compressedFileOf(file))).toBe(sha(bytes));
  });

  it("a compressed file left beside its plain one (killed before the plain one was removed) is checked, then kept", async () => {
    const dir = await tmpDir();
    const { file, bytes } = await bigSealed(dir, "20261124T010000Z-both", 2);
    await writeCompressed(file, compressedFileOf(file));
    const result = await compactLogs(dir);
    expect(result.compacted).toHaveLength(1);
    await expect(fs.access(file)).rejects.toThrow();
    expect(await sessionBytes(compressedFileOf(file))).toBe(sha(bytes));
  });

  it("a compressed file beside its plain one that holds other bytes is made again from the plain one", async () => {
    const dir = await tmpDir();
    const other = await bigSealed(dir, "20261124T010000Z-othr", 1);
    const { file, bytes } = await bigSealed(dir, "20261124T010000Z-real", 1);
    await writeCompressed(other.file, compressedFileOf(file));
    await fs.rm(other.file);
    const result = await compactLogs(dir);
    expect(result.compacted.map((c) => c.file)).toEqual([compressedFileOf(file)]);
    expect(await sessionBytes(compressedFileOf(file))).toBe(sha(bytes));
  });
});
