// docs/SPEC.md's query language: words (typo-tolerant, the last one also a prefix while typing), "exact phrases" and
// field filters. A query that cannot mean anything raises a QueryError that points at the problem.
import { tokenize } from "./terms.ts";

export const FIELDS = ["from", "to", "type", "tier", "tag", "topic", "since", "until", "tool", "model", "role", "has", "source", "host", "origin"] as const;
type Field = (typeof FIELDS)[number];

export class QueryError extends Error {
  /** `position` is the 0-based index in the query of the problem, `length` how many characters it spans. */
  constructor(
    message: string,
    readonly position: number,
    readonly length = 1,
  ) {
    super(message);
    this.name = "QueryError";
  }
}

export interface QueryWord {
  term: string;
  /** The word being typed (the query's last word): it also matches words that start with it. */
  prefix: boolean;
}

export interface Filters {
  from: string[];
  to: string[];
  type: string[];
  tier: number[];
  tag: string[];
  topic: string[];
  /** Of messages read from agents' transcripts: a tool they called, the model, the role, `has:error|rewound`, the format. */
  tool: string[];
  model: string[];
  role: string[];
  has: string[];
  source: string[];
  /** Of an archive's messages: the host name of their logs folder, its source id (or beginning) or folder path. */
  host: string[];
  origin: string[];
  /** Epoch milliseconds, inclusive. */
  since?: number;
  until?: number;
}

export interface Query {
  words: QueryWord[];
  /** Each phrase as its words, in order. */
  phrases: string[][];
  filters: Filters;
}

/** The values these filters take (source: also as the topic names, claude_code…). */
const CHOICES = { role: ["user", "assistant", "tool", "system"], has: ["error", "rewound"], source: ["claude", "gemini", "codex"] };

const AGE_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The fields that only an archive knows: a logs folder is a single source. */
const ARCHIVE_FIELDS: readonly string[] = ["host", "origin"];

/** `archive`: the query is asked of an archive (`--archive URL`), where `host:` and `origin:` mean something. */
export function parseQuery(input: string, now = Date.now(), { archive = false } = {}): Query {
  const q: Query = {
    words: [],
    phrases: [],
    filters: { from: [], to: [], type: [], tier: [], tag: [], topic: [], tool: [], model: [], role: [], has: [], source: [], host: [], origin: [] },
  };
  let i = 0;
  let lastBare: QueryWord | undefined;
  while (i < input.length) {
    if (/\s/.test(input[i])) {
      i++;
      continue;
    }
    lastBare = undefined;
    const start = i;
    if (input[i] === '"') {
      const { text, end } = quoted(input, i);
      const words = tokenize(text);
      if (words.length === 0) throw new QueryError(`empty phrase at column ${start + 1}`, start, end - start);
      q.phrases.push(words);
      i = end;
      continue;
    }
    const field = /^([A-Za-z]+):(?!\/\/)/.exec(input.slice(i));
    if (field) {
      const name = field[1].toLowerCase();
      if (!(FIELDS as readonly string[]).includes(name)) {
        throw new QueryError(
          `unknown field "${field[1]}:" at column ${start + 1} (fields: ${FIELDS.map((f) => `${f}:`).join(" ")})`,
          start,
          field[0].length,
        );
      }
      if (!archive && ARCHIVE_FIELDS.includes(name)) {
        throw new QueryError(`"${name}:" picks sources of a team archive: search one with --archive URL`, start, field[0].length);
      }
      i += field[0].length;
      let value: string;
      if (input[i] === '"') {
        const v = quoted(input, i);
        value = v.text.trim();
        i = v.end;
      } else {
        const end = untilSpace(input, i);
        value = input.slice(i, end);
        i = end;
      }
      if (value === "") throw new QueryError(`"${name}:" needs a value (e.g. ${example(name as Field)})`, start, i - start);
      addFilter(q.filters, name as Field, value, { start, length: i - start, now });
      continue;
    }
    const end = untilSpace(input, i);
    for (const term of tokenize(input.slice(i, end))) {
      lastBare = { term, prefix: false };
      q.words.push(lastBare);
    }
    i = end;
  }
  // Only a word still being typed (no space after it) is a prefix.
  if (lastBare && !/\s$/.test(input)) lastBare.prefix = true;
  const { since, until } = q.filters;
  if (since !== undefined && until !== undefined && since > until) {
    throw new QueryError("since: is later than until: — nothing can match", 0, input.length);
  }
  return q;
}

/** The query with a caret line under the problem, for terminals. */
export function pointAt(input: string, err: QueryError): string {
  const width = Math.max(1, Math.min(err.length, input.length - err.position));
  return `  ${input}\n  ${" ".repeat(err.position)}${"^".repeat(width)}`;
}

function quoted(input: string, at: number): { text: string; end: number } {
  const close = input.indexOf('"', at + 1);
  if (close === -1) throw new QueryError(`unclosed quote at column ${at + 1}`, at, input.length - at);
  return { text: input.slice(at + 1, close), end: close + 1 };
}

function untilSpace(input: string, from: number): number {
  let i = from;
  while (i < input.length && !/\s/.test(input[i]) && input[i] !== '"') i++;
  return i;
}

function example(field: Field): string {
  switch (field) {
    case "tier":
      return "tier:1";
    case "since":
    case "until":
      return `${field}:2h or ${field}:2026-11-24T10:00Z`;
    case "tag":
      return "tag:urgent";
    case "type":
      return "type:request";
    case "topic":
      return "topic:agents";
    case "tool":
      return "tool:Bash";
    case "model":
      return "model:claude-opus-4-6";
    case "role":
      return "role:assistant";
    case "has":
      return "has:error";
    case "source":
      return "source:claude";
    case "host":
      return "host:build-server";
    case "origin":
      return "origin:3f2a9c1e (a source id, or a logs folder's path)";
    default:
      return `${field}:claude`;
  }
}

function addFilter(f: Filters, field: Field, value: string, at: { start: number; length: number; now: number }): void {
  switch (field) {
    case "tier": {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 3) {
        throw new QueryError(`bad tier "${value}": tiers are 1, 2 or 3`, at.start, at.length);
      }
      f.tier.push(n);
      return;
    }
    case "since":
    case "until":
      f[field] = parseTime(value, field, at);
      return;
    case "tag":
      f.tag.push(value.replace(/^#/, "").toLowerCase());
      return;
    case "topic":
    case "origin":
      f[field].push(value);
      return;
    case "role":
    case "has":
    case "source": {
      const v = value.toLowerCase().replace(/_(code|cli)$/, "");
      if (!CHOICES[field].includes(v)) {
        throw new QueryError(`bad ${field} "${value}": ${field}: takes ${CHOICES[field].join(", ")}`, at.start, at.length);
      }
      f[field].push(v);
      return;
    }
    default:
      f[field].push(value.toLowerCase());
  }
}

function parseTime(value: string, field: string, at: { start: number; length: number; now: number }): number {
  const age = /^(\d+)([smhdw])$/.exec(value);
  if (age) return at.now - Number(age[1]) * AGE_UNITS[age[2]];
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw new QueryError(
      `bad time "${value}" for ${field}: (use an age like 10m, 2h, 3d or an ISO time like 2026-11-24T10:00Z)`,
      at.start,
      at.length,
    );
  }
  return ms;
}
