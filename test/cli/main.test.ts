import { describe, expect, it } from "vitest";
import { shearwaterSync } from "../helpers/cli.ts";


describe("the shearwater executable", () => {
  it("prints its version and exits 0", () => {
    const r = shearwaterSync("--version");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("prints help with the subcommands and exits 0", () => {
    const r = shearwaterSync("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: shearwater");
    for (const name of ["tui", "record", "launch", "stop", "status", "checkpoint", "checkpoints", "view", "search", "broker", "send", "demo"]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b`, "m"));
    }
  });

  it("loads only the command it runs, which still has its own help and its own flags", () => {
    const r = shearwaterSync("status", "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: shearwater status [options]");
    expect(shearwaterSync("help", "view").stdout).toContain("Usage: shearwater view [options]");
    expect(shearwaterSync("status", "--bogus").stderr).toMatch(/unknown option '--bogus'/);
  });

  it("exits 2 with a one-line hint on an unknown option", () => {
    const r = shearwaterSync("--no-such-flag");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
    expect(r.stderr).toMatch(/--help/);
  });
});
