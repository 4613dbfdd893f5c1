// The agents registry: concurrent changes from several processes all land; agents whose process is gone are dropped.
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { connectedAgents, withAgentRegistry } from "../../src/launcher/agents.ts";
import { agentProcess, tmpDir } from "./support.ts";

const AGENTS_MODULE = new URL("../../src/launcher/agents.ts", import.meta.url).href;

function registerFromAnotherProcess(logsDir: string, name: string): Promise<void> {
  const script = `const { withAgentRegistry } = await import(${JSON.stringify(AGENTS_MODULE)});
    await withAgentRegistry(${JSON.stringify(logsDir)}, async (reg) => { reg.add(${JSON.stringify(name)}, null); });`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], (err) => (err ? reject(err) : resolve())),
  );
}

describe("agents registry", () => {
  it("keeps every agent registered by processes racing each other", async () => {
    const logsDir = await tmpDir();
    const names = ["a", "b", "c", "d", "e", "f"];
    await Promise.all(names.map((n) => registerFromAnotherProcess(logsDir, n)));
    expect((await connectedAgents(logsDir)).map((a) => a.name).sort()).toEqual(names);
  });

  it("drops an agent whose process died at the next change", async () => {
    const logsDir = await tmpDir();
    const alive = agentProcess();
    const doomed = agentProcess();
    await withAgentRegistry(logsDir, async (reg) => {
      reg.add("alive", alive.pid!);
      reg.add("doomed", doomed.pid!);
    });
    doomed.kill("SIGKILL");
    await new Promise((r) => doomed.once("exit", r));
    expect((await connectedAgents(logsDir)).map((a) => a.name)).toEqual(["alive"]);
    const seen = await withAgentRegistry(logsDir, async (reg) => reg.agents.map((a) => a.name));
    expect(seen).toEqual(["alive"]);
  });
});
