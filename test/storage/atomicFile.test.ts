import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/storage/atomicFile.ts";
import { tmpDir } from "../helpers/tmp.ts";

describe("writeFileAtomic", () => {
  it("writes the whole content owner-only and leaves no temp file behind", async () => {
    const dir = await tmpDir();
    const file = path.join(dir, "a.json");
    await writeFileAtomic(file, "first");
    await writeFileAtomic(file, Buffer.from("second"));
    expect(await fs.readFile(file, "utf8")).toBe("second");
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await fs.readdir(dir)).toEqual(["a.json"]);
  });

  it("fails loudly when the folder does not exist", async () => {
    const dir = await tmpDir();
    await expect(writeFileAtomic(path.join(dir, "missing", "a.json"), "x")).rejects.toThrow();
  });
});
