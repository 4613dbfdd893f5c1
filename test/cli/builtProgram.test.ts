// The program runs as built JavaScript: no process of a command (the CLI, the recorder it starts, the index worker)
// loads TypeScript or the tsx compiler; and the library imports from plain JavaScript by the package's name.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { processExists } from "../../src/control/recorderStatus.ts";
import { packageFile } from "../../src/packageRoot.ts";
import { TmuxTerminal } from "../helpers/tmux.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { testBroker, tmpDir, watchFolder } from "../launcher/support.ts";

const run = promisify(execFile);
const LOAD_LOG_HOOK = pathToFileURL(packageFile("test", "support", "moduleLoadLog.mjs")).href;

async function loadsOf(log: string): Promise<{ pid: string; url: string }[]> {
  const text = await fs.readFile(log, "utf8").catch(() => "");
  return text.split("\n").filter(Boolean).map((l) => ({ pid: l.slice(0, l.indexOf(" ")), url: l.slice(l.indexOf(" ") + 1) }));
}

const pick = (env: NodeJS.ProcessEnv) => ({ NODE_OPTIONS: env.NODE_OPTIONS!, SHEARWATER_TEST_MODULE_LOG: env.SHEARWATER_TEST_MODULE_LOG! });
const compiled = (url: string) => /\/node_modules\/tsx\//.test(url) || /\.tsx?$/.test(url);

describe("the built program", () => {
  it("loads no TypeScript and no compiler in any of a command's processes", { timeout: 60_000 }, async () => {
    const dir = await tmpDir();
    const logsDir = path.join(dir, "logs");
    watchFolder(logsDir);
    const log = path.join(dir, "loads.log");
    const env = { ...process.env, NODE_OPTIONS: `--import ${LOAD_LOG_HOOK}`, SHEARWATER_TEST_MODULE_LOG: log };
    const { sub } = await testBroker();
    const cli = (...args: string[]) => run(process.execPath, [BIN_PATH, ...args, "--logs", logsDir], { env });

    await cli("launch", "--agent", "a", "--json", "--no-menu", "--broker", sub); // starts the recorder
    await cli("search", "anything");
    const tui = await TmuxTerminal.start([process.execPath, BIN_PATH, "--logs", logsDir, "--broker", sub], { env: pick(env) });
    let worker: { pid: string } | undefined;
    try {
      await tui.see("Checkpoints"); // the Ink UI, which starts the index worker
      worker = await waitFor(async () => (await loadsOf(log)).find((l) => l.url.endsWith("/dist/indexWorker.js")), { what: "the index worker" });
    } finally {
      await tui.kill();
      if (worker) await waitFor(() => !processExists(Number(worker!.pid)), { what: "the index worker to leave with the TUI" });
    }

    const loads = await loadsOf(log);
    expect(new Set(loads.map((l) => l.pid)).size).toBeGreaterThanOrEqual(5); // launch, recorder, search, TUI, worker
    expect(loads.some((l) => l.url.endsWith("/dist/cli.js"))).toBe(true);
    expect(loads.filter((l) => compiled(l.url))).toEqual([]);
  });

  it("is importable by the package's name from a plain JavaScript project that installed it", async () => {
    const project = await tmpDir();
    await fs.mkdir(path.join(project, "node_modules"));
    await fs.symlink(packageFile(), path.join(project, "node_modules", "shearwater"));
    const script = path.join(project, "agent.mjs");
    await fs.writeFile(script, `import { PersistenceLauncher, listCheckpoints } from "shearwater";\n` +
      `console.log(typeof PersistenceLauncher, (await listCheckpoints(${JSON.stringify(project)})).length);\n`);
    const { stdout } = await run(process.execPath, [script], { cwd: project });
    expect(stdout.trim()).toBe("function 0");
  });
});
