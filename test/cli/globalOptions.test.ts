// The shared options (--logs, --broker) written before the command, through the real executable.
import { describe, expect, it } from "vitest";
import { createCheckpoint } from "../../src/storage/checkpoints.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { freeEndpoint } from "../helpers/ports.ts";
import { shearwater, tmpDir } from "../launcher/support.ts";

async function folderWithCheckpoint(label: string): Promise<string> {
  const dir = await tmpDir();
  const w = await SessionWriter.open(dir);
  await w.append({ kind: "message", topic: "t", payload: { text: "the walrus spoke" }, meta: {} });
  await createCheckpoint(dir, await w.snapshot(), label);
  await w.close();
  return dir;
}

describe("options before the command", () => {
  it("--logs DIR works before every command that reads a logs folder", async () => {
    const dir = await folderWithCheckpoint("early bird");
    const [status, checkpoints, view, search] = await Promise.all([
      shearwater(["--logs", dir, "status"]),
      shearwater(["--logs", dir, "checkpoints"]),
      shearwater(["--logs", dir, "view"]),
      shearwater(["--logs", dir, "search", "walrus"]),
    ]);
    expect(status.code).toBe(1); // no recorder runs: status says so about that folder
    expect(status.stdout).toContain(`logs:     ${dir}`);
    expect(checkpoints).toMatchObject({ code: 0, stderr: "" });
    expect(checkpoints.stdout).toContain("early bird");
    expect(view).toMatchObject({ code: 0, stderr: "" });
    expect(view.stdout).toContain("the walrus spoke");
    expect(search.code).toBe(0);
    expect(search.stdout).toContain("walrus");
  });

  it("written after the command too, the command's own value wins", async () => {
    const [before, after] = [await folderWithCheckpoint("before"), await folderWithCheckpoint("after")];
    const r = await shearwater(["--logs", before, "checkpoints", "--logs", after]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("after");
    expect(r.stdout).not.toContain("before");
  });

  it("--broker before `launch` is the broker the recorder listens to", { timeout: 60_000 }, async () => {
    const logsDir = await tmpDir();
    const broker = await freeEndpoint(); // nothing listens there: the launch warns and the recorder keeps trying
    const launch = await shearwater(["--logs", logsDir, "--broker", broker, "launch", "--agent", "early", "--no-menu", "--json"], { logsDir });
    expect(launch.code).toBe(0);
    expect(JSON.parse(launch.stdout).broker.endpoints).toEqual([broker]);
    expect((await shearwater(["--logs", logsDir, "stop"])).code).toBe(0);
  });

  it("an option the command does not take is bad usage, named", async () => {
    const r = await shearwater(["--broker", "tcp://127.0.0.1:1", "checkpoints"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--broker is not an option of `shearwater checkpoints`");
  });
});
