// Bad usage of launch / stop / demo exits 2 with a hint, before anything is started.
import { describe, expect, it } from "vitest";
import { shearwater, tmpDir } from "./support.ts";

describe("launch, stop and demo usage", () => {
  it("exits 2 on bad usage", async () => {
    const logsDir = await tmpDir();
    const results = await Promise.all([
      shearwater(["launch", "--logs", logsDir]),
      shearwater(["launch", "--agent", "a", "--load", "x", "--new", "--logs", logsDir]),
      shearwater(["launch", "--agent", "a", "--pid", "abc", "--logs", logsDir]),
      shearwater(["demo", "--pub", "tcp://127.0.0.1:1"]),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(results[0].stderr).toMatch(/--agent/);
    expect(results[1].stderr).toMatch(/--load and --new/);
    expect(results[2].stderr).toMatch(/bad --pid/);
    expect(results[3].stderr).toMatch(/--pub and --sub go together/);
  });
});
