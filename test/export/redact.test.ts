// Every supported shape of secret is masked, named and counted; ordinary text is left alone.
import { describe, expect, it } from "vitest";
import { Redactor, redactionText } from "../../src/export/redact.ts";

// Built from parts, so that no scanner takes this file for one holding real keys.
const k = (...parts: string[]) => parts.join("");
const SECRETS: [string, string, string][] = [
  ["anthropic-key", `key ${k("sk-ant-", "api03-", "a".repeat(40))} here`, "key [REDACTED:anthropic-key] here"],
  ["openai-key", `OPENAI ${k("sk-proj-", "Ab1".repeat(10))}`, "OPENAI [REDACTED:openai-key]"],
  ["google-api-key", `g=${k("AIza", "Sy", "B".repeat(33))}`, "g=[REDACTED:google-api-key]"],
  ["aws-access-key", `id ${k("AKIA", "IOSFODNN7EXAMPLE")}`, "id [REDACTED:aws-access-key]"],
  ["github-token", k("push with gh", "p_", "x".repeat(36)), "push with [REDACTED:github-token]"],
  ["gitlab-token", k("gl", "pat-", "y".repeat(20)), "[REDACTED:gitlab-token]"],
  ["slack-token", k("xo", "xb-", "1234567890-abcdef"), "[REDACTED:slack-token]"],
  ["stripe-key", k("sk", "_live_", "4eC39HqLyjWDarjtT1zdp7dc"), "[REDACTED:stripe-key]"],
  ["huggingface-token", k("hf", "_", "A".repeat(34)), "[REDACTED:huggingface-token]"],
  ["jwt", k("eyJhbGciOiJIUzI1NiJ9", ".", "eyJzdWIiOiIxMjM0NTY3ODkwIn0", ".", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"), "[REDACTED:jwt]"],
  ["bearer-token", "curl -H 'Authorization: Bearer abc123def456ghi789'", "curl -H 'Authorization: Bearer [REDACTED:bearer-token]'"],
  ["url-password", "postgres://app:s3cr3t-pw@db.example.com:5432/prod", "postgres://app:[REDACTED:url-password]@db.example.com:5432/prod"],
  ["password", "export DB_PASSWORD=hunter2!", "export DB_PASSWORD=[REDACTED:password]"],
  ["password", 'config {"api_key": "abc12345xyz"}', 'config {"api_key": "[REDACTED:password]"}'],
  ["password", "client_secret: 9f8e7d6c5b", "client_secret: [REDACTED:password]"],
  [
    "private-key",
    `before\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACB\n-----END OPENSSH PRIVATE KEY-----\nafter`,
    "before\n[REDACTED:private-key]\nafter",
  ],
];

describe("redaction", () => {
  for (const [kind, input, expected] of SECRETS) {
    it(`masks a ${kind}: ${expected.slice(0, 50)}`, () => {
      const r = new Redactor();
      expect(r.text(input)).toBe(expected);
      expect(r.summary()).toEqual({ counts: { [kind]: 1 }, total: 1 });
    });
  }

  it("leaves ordinary text alone, prose about tokens and passwords included", () => {
    const r = new Redactor();
    const prose = [
      "The bearer tokenization-friendly layout; input_tokens: 1234 and output_tokens=50.",
      "Set a password in the settings. Basic configuration follows.",
      "https://example.com/path?q=1 and git@github.com:org/repo.git",
      "sk-short and AKIA123",
    ].join("\n");
    expect(r.text(prose)).toBe(prose);
    expect(r.total).toBe(0);
    expect(redactionText(r.summary())).toBe("no secrets found to redact");
  });

  it("masks values under secret names in structures, and strings anywhere in them, counting each", () => {
    const r = new Redactor();
    const value = { env: { GITHUB_TOKEN: "abc", password: "pw", tokens: 3 }, content: [{ text: `use ${k("sk-ant-", "b".repeat(30))}` }] };
    expect(r.value(value)).toEqual({ env: { GITHUB_TOKEN: "[REDACTED:password]", password: "[REDACTED:password]", tokens: 3 }, content: [{ text: "use [REDACTED:anthropic-key]" }] });
    expect(redactionText(r.summary())).toBe("3 secrets redacted (2 password, 1 anthropic-key)");
  });

  it("does not count a mask twice when text is redacted again", () => {
    const r = new Redactor();
    const once = r.text("DB_PASSWORD=hunter2 and postgres://u:pw12@h/db");
    expect(r.text(once)).toBe(once);
    expect(r.total).toBe(2);
  });
});
