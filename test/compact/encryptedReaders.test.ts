// Readers of every session say what they left out: `search --all` and `report --all` without a key that opens an
// encrypted session leave it out and say so (how many, which, what to set).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { encryptedFolder, shearwater } from "./encryptedFolder.ts";

const LEFT_OUT = (stored: string) =>
  new RegExp(`left out 1 encrypted session \\(${path.basename(stored).replace(/\./g, "\\.")}\\): .*is encrypted with age: set SHEARWATER_AGE_IDENTITY`);

describe("readers of every session and encrypted sessions", () => {
  it("search --all and report --all without the key say how many they left out and what to set; with it, nothing", async () => {
    const f = await encryptedFolder();
    const without = shearwater({}, "search", "--all", "--logs", f.dir, "--limit", "1000", "deploying");
    expect(without.status).toBe(0);
    expect(without.stdout.trim().split("\n")).toHaveLength(1); // the active session's message only
    expect(without.stderr).toMatch(LEFT_OUT(f.stored));
    // With --json, stdout stays the array of hits and the note on stderr is JSON too.
    const json = shearwater({}, "search", "--all", "--logs", f.dir, "--limit", "1000", "--json", "deploying");
    expect(JSON.parse(json.stdout)).toHaveLength(1);
    expect(JSON.parse(json.stderr)).toEqual({ left_out: { encrypted_sessions: 1, files: [f.stored], why: expect.stringMatching(/SHEARWATER_AGE_IDENTITY/) } });
    const withKey = shearwater({ SHEARWATER_AGE_IDENTITY: f.identity }, "search", "--all", "--logs", f.dir, "--limit", "1000", "deploying");
    expect(withKey.stdout.trim().split("\n").length).toBeGreaterThan(100);
    expect(withKey.stderr).toBe("");

    const report = shearwater({}, "report", "--all", "--logs", f.dir, "--json");
    expect(report.status, report.stderr).toBe(0);
    expect(report.stderr).toMatch(LEFT_OUT(f.stored));
    const figures = JSON.parse(report.stdout);
    expect(figures.scope.left_out).toEqual([{ path: f.stored, error: expect.stringMatching(/SHEARWATER_AGE_IDENTITY/) }]);
    expect(figures.messages).toBe(1);
    const opened = shearwater({ SHEARWATER_AGE_IDENTITY: f.identity }, "report", "--all", "--logs", f.dir, "--json");
    expect(opened.stderr).toBe("");
    expect(JSON.parse(opened.stdout).scope.left_out).toBeUndefined();
    expect(JSON.parse(opened.stdout).messages).toBeGreaterThan(300);
  });
});
