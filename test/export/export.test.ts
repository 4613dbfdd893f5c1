// `shearwater export`: a session, checkpoint or the active session as Markdown, HTML or JSONL through the real
// executable; secrets redacted and counted by default, the records as stored with --no-redact, the session untouched.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { PAYLOAD_JSON } from "../../src/storage/recordJson.ts";
import { sealedFile } from "../../src/storage/sessionFile.ts";
import { SessionWriter } from "../../src/storage/sessionWriter.ts";
import { importTranscripts } from "../../src/transcripts/importer.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { tmpDir } from "../helpers/tmp.ts";

const KEY = ["sk-ant-", "api03-", "Q".repeat(40)].join("");

/** A logs folder holding one imported Claude Code session that mentions secrets, and an escape sequence. */
async function logsWithSecrets(): Promise<{ logs: string; session: string; checkpoint: string; dir: string }> {
  const dir = await tmpDir();
  const file = path.join(dir, "s.jsonl");
  const line = (uuid: string, type: string, content: unknown) =>
    JSON.stringify({ type, uuid, parentUuid: null, sessionId: "s", timestamp: "2026-02-12T10:00:00.000Z", message: { role: type, content } });
  await fs.writeFile(
    file,
    [
      line("u1", "user", `deploy with ANTHROPIC_API_KEY=${KEY} please \u001b[31mnow`),
      line("a1", "assistant", [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "psql postgres://admin:pa55word@db/prod" } }]),
      line("u2", "user", [{ type: "tool_result", tool_use_id: "t1", content: "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----" }]),
    ].join("\n") + "\n",
  );
  const logs = path.join(dir, "logs");
  const [r] = await importTranscripts(logs, [file]);
  return { logs, session: r.session!, checkpoint: r.checkpoint!, dir };
}

describe("shearwater export", () => {
  it("writes Markdown with secrets masked and counted, controls made visible, the session left as it was", async () => {
    const { logs, session } = await logsWithSecrets();
    const before = await fs.readFile(sealedFile(logs, session));
    const run = shearwaterSync("export", "--logs", logs, "--session", session);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`# Session ${session}`);
    expect(run.stdout).toContain("### claude_code · user · 2026-02-12T10:00:00.000Z");
    expect(run.stdout).toContain("ANTHROPIC_API_KEY=[REDACTED:");
    expect(run.stdout).toContain("> Bash(psql postgres://admin:[REDACTED:url-password]@db/prod)");
    expect(run.stdout).toContain("[REDACTED:private-key]");
    expect(run.stdout).toContain("␛[31mnow");
    expect(run.stdout).not.toContain(KEY);
    expect(run.stdout).not.toContain("pa55word");
    expect(run.stdout).not.toContain("\u001b");
    expect(run.stderr).toMatch(/exported 3 messages; 3 secrets redacted \(.*anthropic-key.*\)/);
    expect(await fs.readFile(sealedFile(logs, session))).toEqual(before);
  });

  it("writes one self-contained HTML page to --out, owner-only, escaped", async () => {
    const { logs, checkpoint, dir } = await logsWithSecrets();
    const out = path.join(dir, "c.html");
    const run = shearwaterSync("export", "--logs", logs, "--checkpoint", checkpoint, "--format", "html", "--out", out);
    expect(run.status).toBe(0);
    const page = await fs.readFile(out, "utf8");
    expect((await fs.stat(out)).mode & 0o777).toBe(0o600);
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).not.toMatch(/<script|src=|href=/i);
    expect(page).toContain("<details><summary>Bash → [REDACTED:private-key]</summary>");
    expect(page).not.toContain(KEY);
  });

  it("gives the records: redacted by default, exactly as stored with --no-redact", async () => {
    const { logs, session } = await logsWithSecrets();
    const redacted = shearwaterSync("export", "--logs", logs, "--session", session, "--format", "jsonl");
    const records = redacted.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(JSON.stringify(records)).not.toContain(KEY);
    expect(records[1].payload.message.content).toContain("[REDACTED:anthropic-key]");
    const raw = shearwaterSync("export", "--logs", logs, "--session", session, "--format", "jsonl", "--no-redact");
    expect(raw.stdout).toBe(await fs.readFile(sealedFile(logs, session), "utf8"));
    expect(raw.stderr).toContain("not redacted (--no-redact)");
  });

  it("keeps every record without a secret byte for byte, redaction on: big integers, 1e400, -0, duplicate keys", async () => {
    const logs = await tmpDir();
    const texts = ['{"n":12345678901234567890,"x":1e400}', '{"z":-0,"k":1,"k":2}', '{ "s" :\t"a\\u00e9" }'];
    const w = await SessionWriter.open(logs);
    await w.appendMany(texts.map((t) => ({ kind: "message" as const, topic: "t", payload: JSON.parse(t), meta: {}, [PAYLOAD_JSON]: Buffer.from(t) })));
    await w.close();
    const run = shearwaterSync("export", "--logs", logs, "--current", "--format", "jsonl");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(await fs.readFile(logsPaths(logs).current, "utf8"));
  });

  it("says what is wrong: nothing or two things to export, an unknown session, a planted link at --out", async () => {
    const { logs, session, dir } = await logsWithSecrets();
    expect(shearwaterSync("export", "--logs", logs).status).toBe(2);
    expect(shearwaterSync("export", "--logs", logs, "--current", "--session", session).status).toBe(2);
    const unknown = shearwaterSync("export", "--logs", logs, "--session", "nope");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("session nope not found");
    const target = path.join(dir, "elsewhere.txt");
    await fs.writeFile(target, "keep me");
    await fs.symlink(target, path.join(dir, "link.md"));
    const linked = shearwaterSync("export", "--logs", logs, "--session", session, "--out", path.join(dir, "link.md"));
    expect(linked.status).toBe(1);
    expect(await fs.readFile(target, "utf8")).toBe("keep me");
  });
});
