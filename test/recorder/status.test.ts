// The status file's writer: a write that fails is named in the errors of the next one that succeeds.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { StatusReporter, type StatusSnapshot } from "../../src/recorder/status.ts";
import { tmpDir } from "../helpers/tmp.ts";

const snapshot = { pid: 1, state: "recording" } as unknown as StatusSnapshot;

describe("status file", () => {
  it("reports its own failed write in the errors of the next one", async () => {
    const dir = await tmpDir();
    const gone = path.join(dir, "gone");
    await fs.mkdir(gone);
    const file = path.join(gone, "recorder.status.json");
    const status = new StatusReporter(file, () => snapshot);
    await fs.rm(gone, { recursive: true }); // the folder vanished: the write cannot happen
    await status.write();
    await fs.mkdir(gone);
    await status.write();
    const written = JSON.parse(await fs.readFile(file, "utf8"));
    expect(written.errors).toMatchObject([{ message: expect.stringMatching(/^status file not written: ENOENT/) }]);
  });
});
