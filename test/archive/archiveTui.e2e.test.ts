// `shearwater --archive URL` in a real terminal (tmux) against a private PostgreSQL server: the program as users
// run it opens the archive read-only, shows every source's newest lines, searches with a typo, refuses to write,
// and quits leaving the terminal as it was; a bad URL is a message and exit 1, before the screen is taken.
import os from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { push } from "../../src/archive/pushLoop.ts";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { postgresBinDir, POSTGRES_MISSING_REASON, PostgresCluster } from "../helpers/postgresCluster.ts";
import { TmuxTerminal } from "../helpers/tmux.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { makeLogs, manyMessages } from "./archiveFixtures.ts";

const HAS_POSTGRES = postgresBinDir() !== null;
vi.setConfig({ testTimeout: 120_000 });
let cluster: PostgresCluster | null = null;
const terminals: TmuxTerminal[] = [];

beforeAll(async () => {
  if (HAS_POSTGRES) cluster = await PostgresCluster.start();
}, 120_000);
afterAll(() => cluster?.stop());
afterEach(async () => {
  await Promise.all(terminals.splice(0).map((t) => t.kill()));
});

async function shearwaterIn(args: string[]): Promise<TmuxTerminal> {
  const t = await TmuxTerminal.start([process.execPath, BIN_PATH, ...args], { columns: 120, rows: 30, env: { NO_COLOR: "1" }, cwd: os.tmpdir() });
  terminals.push(t);
  return t;
}

describe.skipIf(!HAS_POSTGRES)(HAS_POSTGRES ? "the TUI over a PostgreSQL archive in tmux" : `(skipped: ${POSTGRES_MISSING_REASON})`, () => {
  it("browses and searches every source read-only, then quits cleanly", async () => {
    const url = cluster!.createDatabase("tui_e2e");
    const [a, b] = [await tmpDir(), await tmpDir()];
    await makeLogs(a, { id: "20261124T100000Z-a1", msgs: manyMessages(40, "alice", "deployment checklist") });
    await makeLogs(b, { id: "20261124T100000Z-b1", msgs: manyMessages(60, "bob", "quarterly numbers") });
    for (const logs of [a, b]) await push({ logsDir: logs, url });

    const t = await shearwaterIn(["--archive", url]);
    await t.see("Messages — every source (archive)");
    await t.see("quarterly numbers number 59");
    expect(await t.info("#{alternate_on}")).toBe("1");
    // The URL's password is never on screen.
    expect(await t.screen()).not.toContain("s3cret");

    await t.keys("/");
    await t.type("deploymnet 33");
    await t.see("1 hits");
    await t.keys("Enter");
    await t.see("Messages — session 20261124T100000Z-a1");
    await t.see("hit 1/1");

    await t.keys("C");
    await t.see("C (checkpoint) is off: read-only: this is a team archive");
    await t.keys("q");
    expect(await t.exited()).toBe(0);
    expect(await t.info("#{alternate_on}")).toBe("0");
  });

  it("says what is wrong with an archive it cannot open, exit 1", async () => {
    const t = await shearwaterIn(["--archive", cluster!.url("no_such_database")]);
    expect(await t.exited()).toBe(1);
    // Lines wrapped at the terminal's width joined again, scrolled-off ones included.
    const screen = await t.tmux("capture-pane", "-p", "-J", "-S", "-100", "-t", "t");
    expect(screen).toMatch(/database "no_such_database" does not exist/);
    expect(screen).not.toContain("s3cret");
  });
});
