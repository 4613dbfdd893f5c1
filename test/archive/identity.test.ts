// A logs folder's source id (made once, kept, owner-only, never through a planted link) and archive URLs (parsed,
// their passwords never shown).
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ArchiveError, parseArchiveUrl, redact } from "../../src/archive/archiveUrl.ts";
import { sourceFile, sourceOf } from "../../src/archive/sourceIdentity.ts";
import { UsageError } from "../../src/config.ts";
import { UnsafeFileError } from "../../src/storage/privateFile.ts";
import { tmpDir } from "../helpers/tmp.ts";

describe("a logs folder's source id", () => {
  it("is made once, owner-only, and the same for every process that asks at once", async () => {
    const logs = await tmpDir();
    const ids = await Promise.all(Array.from({ length: 8 }, () => sourceOf(logs)));
    expect(new Set(ids.map((s) => s.id)).size).toBe(1);
    expect(ids[0]).toMatchObject({ folder: path.resolve(logs) });
    expect((await fs.stat(sourceFile(logs))).mode & 0o777).toBe(0o600);
    expect((await fs.readdir(logs)).filter((f) => f.includes(".tmp"))).toEqual([]);
    expect((await sourceOf(logs)).id).toBe(ids[0].id);
  });

  it("is refused through a planted symbolic link, and a damaged file is an error that says what to do", async () => {
    const logs = await tmpDir();
    const elsewhere = path.join(await tmpDir(), "other.json");
    await fs.writeFile(elsewhere, JSON.stringify({ id: "00000000-0000-0000-0000-000000000000" }));
    await fs.mkdir(logs, { recursive: true });
    await fs.symlink(elsewhere, sourceFile(logs));
    await expect(sourceOf(logs)).rejects.toBeInstanceOf(UnsafeFileError);
    await fs.rm(sourceFile(logs));
    await fs.writeFile(sourceFile(logs), "{not json", { mode: 0o600 });
    await expect(sourceOf(logs)).rejects.toThrow(/is damaged .*remove it to give this logs folder a new identity/);
  });
});

describe("archive URLs", () => {
  it("are postgres://, postgresql:// or sqlite:PATH; anything else is bad usage, shown without its password", () => {
    expect(parseArchiveUrl("postgres://u:pw-secret@db.example:5433/team?sslmode=verify-full")).toMatchObject({
      kind: "postgres",
      shown: "postgres://u:***@db.example:5433/team?sslmode=verify-full",
    });
    expect(parseArchiveUrl("postgresql:///team?host=/run/postgresql")).toMatchObject({ kind: "postgres" });
    expect(parseArchiveUrl("sqlite:archive.db")).toMatchObject({ kind: "sqlite", file: path.resolve("archive.db") });
    expect(() => parseArchiveUrl("sqlite:")).toThrow(UsageError);
    expect(() => parseArchiveUrl("mysql://u:pw-secret@h/x")).toThrow(/mysql:\/\/u:\*\*\*@h\/x/);
  });

  it("lose their passwords in any message: user parts, password parameters, the password written elsewhere", () => {
    expect(redact("at postgres://alice:hunter2@h/db and https://bob:x@y?password=zzz&sslpassword=kk")).toBe(
      "at postgres://alice:***@h/db and https://bob:***@y?password=***&sslpassword=***",
    );
    const err = new ArchiveError("server said: bad password p%40ss or p@ss for alice", "postgres://alice:p%40ss@h/db");
    expect(err.message).toBe("server said: bad password *** or *** for alice");
  });
});
