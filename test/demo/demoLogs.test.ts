// The demo's logs folder is the user's own, never a fixed name in the shared temp folder that another user could
// create first.
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultDemoLogs } from "../../src/demo/demo.ts";
import { shearwaterSync } from "../helpers/cli.ts";

describe("the demo's logs folder", () => {
  it("is in the user's state folder, not in the shared temp folder", () => {
    const dir = defaultDemoLogs({}, "linux");
    expect(dir).toBe(path.join(os.homedir(), ".local", "state", "shearwater", "demo"));
    expect(dir.startsWith(os.tmpdir() + path.sep)).toBe(false);
    expect(defaultDemoLogs({ XDG_STATE_HOME: "/home/ana/state" }, "linux")).toBe(path.join("/home/ana/state", "shearwater", "demo"));
    expect(defaultDemoLogs({ XDG_STATE_HOME: "relative/state" }, "darwin")).toBe(dir); // XDG: relative paths are ignored
    expect(defaultDemoLogs({ LOCALAPPDATA: "C:\\Users\\ana\\AppData\\Local" }, "win32")).toBe(
      path.join("C:\\Users\\ana\\AppData\\Local", "shearwater", "demo"),
    );
  });

  it("is what `shearwater demo --help` names", () => {
    const help = shearwaterSync("demo", "--help");
    expect(help.status).toBe(0);
    expect(help.stdout.replace(/\s+/g, " ")).toContain(defaultDemoLogs());
  });
});
