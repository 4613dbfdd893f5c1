import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";

function shearwater(...args: string[]) {
  return spawnSync(process.execPath, [BIN_PATH, ...args], { encoding: "utf8", timeout: 20_000 });
}

describe("the shearwater executable", () => {
  it("prints its version and exits 0", () => {
    const r = shearwater("--version");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("prints help with the subcommands and exits 0", () => {
    const r = shearwater("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: shearwater");
  });

  it("exits 2 with a one-line hint on an unknown option", () => {
    const r = shearwater("--no-such-flag");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
    expect(r.stderr).toMatch(/--help/);
  });
});
