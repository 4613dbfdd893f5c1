// Secrets masked in what leaves the logs folder (exports, the launcher's transcripts): API keys of the common
// providers, bearer and JSON web tokens, passwords in URLs and in assignments, private key blocks. Each mask names
// what it hid (`[REDACTED:anthropic-key]`) and is counted. The session files themselves are never touched.

interface Rule {
  kind: string;
  pattern: RegExp;
  /** The replacement; by default the whole match is masked. */
  mask?: (match: string, ...groups: string[]) => string;
  /** Whether a match is a secret after all (by default, every match is). */
  accept?: (match: string, ...groups: string[]) => boolean;
}

const masked = (kind: string) => `[REDACTED:${kind}]`;
/** Names under which a value is a secret, in `name=value`, `name: value` and JSON objects. */
const SECRET_NAME = String.raw`(?:pass(?:word|wd|phrase)?|pwd|secret|client[_-]?secret|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|token)`;
export const SECRET_KEY = new RegExp(`^[\\w.-]*${SECRET_NAME}$`, "i");

/** Most specific first: a provider's key is named as such before a generic rule sees it. */
const RULES: Rule[] = [
  { kind: "private-key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  { kind: "anthropic-key", pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { kind: "openai-key", pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { kind: "google-api-key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: "aws-access-key", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: "github-token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { kind: "gitlab-token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { kind: "slack-token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: "stripe-key", pattern: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b/g },
  { kind: "huggingface-token", pattern: /\bhf_[A-Za-z0-9]{30,}\b/g },
  { kind: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  {
    kind: "bearer-token",
    pattern: /\b(Authorization:\s*(?:Bearer|Basic|Token)|Bearer)(\s+)([A-Za-z0-9._~+/=-]{16,})/gi,
    mask: (_m, scheme: string, space: string) => `${scheme}${space}${masked("bearer-token")}`,
    // "bearer tokenization-friendly…" is prose: a token has digits in it
    accept: (_m, _scheme: string, _space: string, token: string) => /\d/.test(token),
  },
  {
    kind: "url-password",
    // scheme://user:password@host — the user stays, the password goes
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi,
    mask: (_m, before: string, _password: string, at: string) => `${before}${masked("url-password")}${at}`,
  },
  {
    kind: "password",
    // name=value, name: value, "name": "value" (in JSON text) — the name stays, the value goes
    pattern: new RegExp(`\\b([\\w.-]*${SECRET_NAME}["']?\\s*[:=]\\s*)(["']?)([^\\s"',;}{]{3,})(\\2)`, "gi"),
    mask: (_m, name: string, quote: string, _value: string, close: string) => `${name}${quote}${masked("password")}${close}`,
  },
];

export interface Redactions {
  /** Masks made, by kind. */
  counts: Record<string, number>;
  total: number;
}

export class Redactor {
  readonly counts: Record<string, number> = {};
  total = 0;

  /** The text with its secrets masked. */
  text(input: string): string {
    let out = input;
    for (const rule of RULES) {
      rule.pattern.lastIndex = 0;
      if (!rule.pattern.test(out)) continue;
      rule.pattern.lastIndex = 0;
      out = out.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
        const groups = rest.slice(0, -2) as string[];
        if (match.includes("[REDACTED:") || (rule.accept && !rule.accept(match, ...groups))) return match;
        this.#count(rule.kind);
        return rule.mask ? rule.mask(match, ...groups) : masked(rule.kind);
      });
    }
    return out;
  }

  /** A JSON value with every string redacted, and the value of every key that names a secret masked whole. */
  value(input: unknown, depth = 0): unknown {
    if (typeof input === "string") return this.text(input);
    if (!input || typeof input !== "object" || depth > 64) return input;
    if (Array.isArray(input)) return input.map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) {
      if (typeof v === "string" && v !== "" && SECRET_KEY.test(k) && !v.startsWith("[REDACTED:")) {
        this.#count("password");
        out[k] = masked("password");
      } else out[k] = this.value(v, depth + 1);
    }
    return out;
  }

  /**
   * A stored record's line as it leaves the logs folder: byte for byte when it holds no secret, else its record
   * written again with the secrets masked (only a line that had to change is re-encoded).
   */
  line(raw: string, record: unknown): string {
    const before = this.total;
    const redacted = this.value(record);
    return this.total === before ? raw : JSON.stringify(redacted);
  }

  summary(): Redactions {
    return { counts: { ...this.counts }, total: this.total };
  }

  #count(kind: string): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    this.total++;
  }
}

/** "3 secrets redacted (2 anthropic-key, 1 password)". */
export function redactionText(r: Redactions): string {
  if (r.total === 0) return "no secrets found to redact";
  const kinds = Object.entries(r.counts).map(([k, n]) => `${n} ${k}`).join(", ");
  return `${r.total} secret${r.total === 1 ? "" : "s"} redacted (${kinds})`;
}
