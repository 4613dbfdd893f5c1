// An agent's name names its transcript files: a hostile one (`..`, a slash, a control character, NUL, a very long
// one) is a usage error before anything is started or written, through the CLI and through PersistenceLauncher.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/config.ts";
import { checkAgentName } from "../../src/launcher/agentName.ts";
import { PersistenceLauncher } from "../../src/launcher/PersistenceLauncher.ts";
import { writeTranscript } from "../../src/launcher/transcript.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { shearwater, tmpDir } from "./support.ts";

/** Names that could leave transcripts/ or reach a terminal raw (arguments cannot carry NUL: see the library test). */
const HOSTILE = ["..", ".", "../escape", "a/b", "/etc/passwd", "a\\b", "\x1b[31mred", "tab\there", "x".repeat(65), "", "-rf", ".hidden"];

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe("agent names", () => {
  it("`launch --agent` refuses hostile names with exit 2, writing nothing anywhere", async () => {
    const parent = await tmpDir();
    const logsDir = path.join(parent, "logs");
    const broker = await freeEndpoint();
    const results = await Promise.all(
      HOSTILE.map((name) => shearwater(["launch", "--agent", name, "--logs", logsDir, "--broker", broker, "--no-menu", "--json"], { logsDir })),
    );
    for (const [i, r] of results.entries()) {
      expect([HOSTILE[i], r.code]).toEqual([HOSTILE[i], 2]);
      expect(r.stderr).toMatch(/bad agent name ".*": up to 64 letters, digits/);
      expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/); // the name is shown with its controls made visible
      expect(r.stdout).toBe("");
    }
    expect(await filesUnder(parent)).toEqual([]);
  });

  it("`stop --agent` refuses them with exit 2 (an empty name does not stop every agent's recorder)", async () => {
    const logsDir = await tmpDir();
    for (const name of ["..", "", "a/b"]) {
      const r = await shearwater(["stop", "--agent", name, "--logs", logsDir]);
      expect([name, r.code]).toEqual([name, 2]);
      expect(r.stderr).toMatch(/bad agent name/);
    }
  });

  it("PersistenceLauncher refuses them (NUL included) before it starts a recorder or writes a file", async () => {
    const parent = await tmpDir();
    const logsDir = path.join(parent, "logs");
    const launcher = new PersistenceLauncher({ logsDir, broker: await freeEndpoint(), menu: false });
    for (const name of [...HOSTILE, "a\0b", "nul\0"]) {
      await expect(launcher.onAgentConnected(name)).rejects.toThrow(UsageError);
    }
    expect(await filesUnder(parent)).toEqual([]);
  });

  it("writeTranscript refuses them too, so no transcript lands outside transcripts/", async () => {
    const parent = await tmpDir();
    const logsDir = path.join(parent, "logs");
    await fs.mkdir(logsDir);
    for (const name of HOSTILE) {
      await expect(writeTranscript(logsDir, name, { messages: [], lines: [], total: 0 }, { title: "t" })).rejects.toThrow(/bad agent name/);
    }
    expect(await filesUnder(parent)).toEqual([]);
  });

  it("accepts the names agents use", () => {
    for (const name of ["claude_code", "gemini-cli", "codex", "Agent.2", "a", "x".repeat(64)]) expect(checkAgentName(name)).toBe(name);
  });
});
