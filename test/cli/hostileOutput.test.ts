// Text from outside (message payloads, checkpoint labels, what the user typed) reaches the terminal inert through
// every command: errors, plain output and --json (which still parses back to what was stored).
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseRecordLine } from "../../src/record.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { HOSTILE, TERMINAL_UNSAFE } from "../helpers/hostileText.ts";
import { tmpDir } from "../helpers/tmp.ts";

async function hostileSession(): Promise<string> {
  const dir = await tmpDir();
  const w = await SessionWriter.open(dir);
  await w.append({ kind: "message", topic: "t", payload: { from: HOSTILE, text: `zebra ${HOSTILE}` }, meta: { agent: HOSTILE } });
  await w.close();
  return dir;
}

describe("hostile text on the command line", () => {
  it("error messages show what the user typed and files hold, made inert", async () => {
    const dir = await hostileSession();
    const missing = shearwaterSync("view", "--logs", dir, "--checkpoint", HOSTILE);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("␛[2J");
    expect(missing.stderr).not.toMatch(TERMINAL_UNSAFE);
    const unknown = shearwaterSync("status", `--bogus${HOSTILE}`);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogusevil ␛\[2J/);
    expect(unknown.stderr).not.toMatch(TERMINAL_UNSAFE);
    const usage = shearwaterSync("view", "--logs", dir, "--tail", HOSTILE);
    expect(usage.status).toBe(2);
    expect(usage.stderr).not.toMatch(TERMINAL_UNSAFE);
  });

  it("view shows records inert, and --json escapes them yet parses back to the stored record", async () => {
    const dir = await hostileSession();
    const text = shearwaterSync("view", "--logs", dir);
    expect(text.stdout).toContain("zebra evil ␛[2J");
    expect(text.stdout).not.toMatch(TERMINAL_UNSAFE);
    const json = shearwaterSync("view", "--logs", dir, "--json");
    expect(json.stdout).not.toMatch(TERMINAL_UNSAFE);
    const records = json.stdout.trim().split("\n").map((l) => parseRecordLine(l));
    expect(records.at(-1)).toMatchObject({ payload: { from: HOSTILE, text: `zebra ${HOSTILE}` }, meta: { agent: HOSTILE } });
  });

  it("search --json escapes hits yet parses back to their text", async () => {
    const dir = await hostileSession();
    const json = shearwaterSync("search", "--logs", dir, "--json", "zebra");
    expect(json.status).toBe(0);
    expect(json.stdout).not.toMatch(TERMINAL_UNSAFE);
    const [hit] = JSON.parse(json.stdout) as { agent: string; snippet: { text: string } }[];
    expect(hit.agent).toBe(HOSTILE);
    expect(hit.snippet.text).toContain("zebra evil \u001b[2J");
    const plain = shearwaterSync("search", "--logs", dir, "zebra");
    expect(plain.stdout).toContain("evil ␛[2J");
    expect(plain.stdout).not.toMatch(TERMINAL_UNSAFE);
  });
});

describe("--json output", () => {
  it("is written by terminalJson in every command, never by JSON.stringify alone", async () => {
    const dir = new URL("../../src/cli/commands/", import.meta.url);
    const names = (await fs.readdir(dir)).filter((n) => n.endsWith(".ts"));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect({ name, text: await fs.readFile(new URL(name, dir), "utf8") }).not.toMatchObject({ text: expect.stringContaining("JSON.stringify(") });
  });
});
