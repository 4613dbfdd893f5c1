// Enrichment rules: the JSON format (docs/ENRICHMENT.md), its validation with line/column errors, and compilation
// into matchers that run once per message.
import fs from "node:fs/promises";
import { DEFAULT_RULES } from "./defaultRules.ts";
import { JsonLocationError, parseLocatedJson } from "./locatedJson.ts";
import { FIELD_LISTS, type FieldList, type RuleSpec, type Scalar } from "./rulesSpec.ts";

/** What a rule sees of a message. */
export interface RuleContext {
  topic: string;
  payload: unknown;
  text: string;
  agent?: string;
  recipient?: string;
  reply_to?: string;
}

export interface CompiledRule {
  name: string;
  test(ctx: RuleContext): boolean;
  set: NonNullable<RuleSpec["set"]>;
  tags: string[];
}

export type CompiledRules = Record<FieldList, string[]> & { default_tier: 1 | 2 | 3; rules: CompiledRule[] };

export class RulesFileError extends Error {}

/** Printable ASCII without \u, \p or \P escapes: the same regex with or without the `u` flag, on ASCII text. */
const PLAIN_ASCII_PATTERN = /^(?:[\x20-\x5b\x5d-\x7e]|\\[^upP])*$/;
const NON_ASCII = /[^\x00-\x7f]/;
const CHAIN_TYPES = ["request", "response", "handoff", "broadcast", "error", "system"];
const CONTEXT_FIELDS = ["topic", "text", "agent", "recipient", "reply_to"];

type Path = (string | number)[];
class Invalid extends Error {
  constructor(readonly path: Path, problem: string) {
    super(problem);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar => v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
const isTier = (v: unknown): v is 1 | 2 | 3 => v === 1 || v === 2 || v === 3;
const fold = (v: Scalar): Scalar => (typeof v === "string" ? v.toLowerCase() : v);

function onlyKeys(obj: Record<string, unknown>, allowed: string[], path: Path): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new Invalid([...path, key], `unknown key "${key}" (expected one of: ${allowed.join(", ")})`);
  }
}

function stringList(v: unknown, path: Path): string[] {
  if (!Array.isArray(v)) throw new Invalid(path, "expected an array of strings");
  v.forEach((s, i) => {
    if (typeof s !== "string") throw new Invalid([...path, i], "expected a string");
  });
  return v as string[];
}

type Getter = (ctx: RuleContext) => unknown;
/** The getters of the fields the rules look at, one per field name, shared by every condition on that field. */
type Fields = Map<string, Getter>;

/** The getter of a field, looking the value up once per message however many conditions ask for it. */
function sharedGetter(fields: Fields, field: string, path: Path): Getter {
  let get = fields.get(field);
  if (!get) {
    const lookUp = fieldGetter(field, path);
    let last: RuleContext | undefined; // each message has a context of its own, not changed while the rules run
    let value: unknown;
    get = (ctx) => {
      if (ctx !== last) {
        last = ctx;
        value = lookUp(ctx);
      }
      return value;
    };
    fields.set(field, get);
  }
  return get;
}

/** A field name → a getter over the rule context: "topic", "text", "agent", "recipient", "reply_to", "payload.a.b". */
function fieldGetter(field: string, path: Path): Getter {
  if (CONTEXT_FIELDS.includes(field)) return (ctx) => ctx[field as keyof RuleContext];
  if (field.startsWith("payload.") && field.length > "payload.".length) {
    const keys = field.slice("payload.".length).split(".");
    return (ctx) => {
      let cur = ctx.payload;
      for (const k of keys) cur = isObject(cur) && Object.hasOwn(cur, k) ? cur[k] : undefined;
      return cur;
    };
  }
  throw new Invalid(path, `unknown field "${field}" (expected ${CONTEXT_FIELDS.join(", ")} or payload.<name>)`);
}

function compileMatcher(m: unknown, path: Path): (v: unknown) => boolean {
  if (isScalar(m)) return (v) => isScalar(v) && fold(v) === fold(m);
  if (!isObject(m)) throw new Invalid(path, "expected a value, {in: [...]}, {matches: \"regex\"} or {exists: true|false}");
  onlyKeys(m, ["in", "matches", "exists"], path);
  const keys = Object.keys(m);
  if (keys.length !== 1) throw new Invalid(path, "expected exactly one of in, matches, exists");
  if ("in" in m) {
    if (!Array.isArray(m.in) || !m.in.every(isScalar)) throw new Invalid([...path, "in"], "expected an array of values");
    const set = new Set((m.in as Scalar[]).map(fold));
    return (v) => isScalar(v) && set.has(fold(v));
  }
  if ("matches" in m) {
    if (typeof m.matches !== "string") throw new Invalid([...path, "matches"], "expected a regular expression as a string");
    let re: RegExp;
    try {
      re = new RegExp(m.matches, "iu");
    } catch (err) {
      throw new Invalid([...path, "matches"], `bad regular expression: ${(err as Error).message}`);
    }
    // Unicode case folding makes a regex several times slower; on ASCII text an ASCII pattern matches the same
    // without it, so such text is tested with the plain case-insensitive twin.
    const ascii = PLAIN_ASCII_PATTERN.test(m.matches) ? new RegExp(m.matches, "i") : re;
    const test = (text: string) => (NON_ASCII.test(text) ? re : ascii).test(text);
    // Consecutive messages often share the value (a topic): it is tested once.
    let last: unknown;
    let result = false;
    return (v) => {
      if (v !== last) {
        last = v;
        result = (typeof v === "string" || typeof v === "number") && test(String(v));
      }
      return result;
    };
  }
  if (typeof m.exists !== "boolean") throw new Invalid([...path, "exists"], "expected true or false");
  const want = m.exists;
  return (v) => (v !== undefined && v !== null && v !== "") === want;
}

function compileCondition(c: unknown, path: Path, fields: Fields): (ctx: RuleContext) => boolean {
  if (!isObject(c)) throw new Invalid(path, "expected a condition object such as {\"payload.type\": \"error\"}");
  const checks = Object.entries(c).map(([field, m]) => {
    const get = sharedGetter(fields, field, [...path, field]);
    const match = compileMatcher(m, [...path, field]);
    return (ctx: RuleContext) => match(get(ctx));
  });
  return (ctx) => {
    for (const check of checks) if (!check(ctx)) return false; // a loop, not every(): no closure per message
    return true;
  };
}

function compileRule(r: unknown, path: Path, fields: Fields): CompiledRule {
  if (!isObject(r)) throw new Invalid(path, "expected a rule object {name, when, set?, tags?}");
  onlyKeys(r, ["name", "when", "set", "tags"], path);
  if (typeof r.name !== "string" || r.name === "") throw new Invalid([...path, "name"], "every rule needs a name (a string)");
  if (r.when === undefined) throw new Invalid(path, `rule "${r.name}" needs "when"`);
  const any = Array.isArray(r.when)
    ? r.when.map((c, i) => compileCondition(c, [...path, "when", i], fields))
    : [compileCondition(r.when, [...path, "when"], fields)];
  const set = r.set ?? {};
  if (!isObject(set)) throw new Invalid([...path, "set"], "expected {ace_tier?, chain_type?}");
  onlyKeys(set, ["ace_tier", "chain_type"], [...path, "set"]);
  if (set.ace_tier !== undefined && !isTier(set.ace_tier)) throw new Invalid([...path, "set", "ace_tier"], "ace_tier must be 1, 2 or 3");
  if (set.chain_type !== undefined && !CHAIN_TYPES.includes(set.chain_type as string)) {
    throw new Invalid([...path, "set", "chain_type"], `chain_type must be one of ${CHAIN_TYPES.join(", ")}`);
  }
  const tags = r.tags === undefined ? [] : stringList(r.tags, [...path, "tags"]);
  const test = (ctx: RuleContext) => {
    for (const cond of any) if (cond(ctx)) return true;
    return false;
  };
  return { name: r.name, test, set: set as CompiledRule["set"], tags };
}

function compileSpec(spec: unknown): CompiledRules {
  if (!isObject(spec)) throw new Invalid([], "expected a JSON object with a \"rules\" array");
  onlyKeys(spec, [...FIELD_LISTS, "default_tier", "rules"], []);
  if (!Array.isArray(spec.rules)) throw new Invalid(spec.rules === undefined ? [] : ["rules"], "expected \"rules\": an array of rules");
  const tier = spec.default_tier ?? DEFAULT_RULES.default_tier;
  if (!isTier(tier)) throw new Invalid(["default_tier"], "default_tier must be 1, 2 or 3");
  const lists = Object.fromEntries(
    FIELD_LISTS.map((name) => [name, spec[name] === undefined ? DEFAULT_RULES[name] : stringList(spec[name], [name])]),
  ) as Record<FieldList, string[]>;
  const fields: Fields = new Map();
  return { ...lists, default_tier: tier, rules: spec.rules.map((r, i) => compileRule(r, ["rules", i], fields)) };
}

export function defaultRules(): CompiledRules {
  return compileSpec(DEFAULT_RULES);
}

/** Compiles a rules file's text; problems are reported as `FILE:LINE:COLUMN: problem`. */
export function compileRulesText(text: string, fileName: string): CompiledRules {
  let located;
  try {
    located = parseLocatedJson(text);
  } catch (err) {
    if (!(err instanceof JsonLocationError)) throw err;
    const { line, column } = err.position;
    throw new RulesFileError(`${fileName}:${line}:${column}: not valid JSON: ${err.problem}`);
  }
  try {
    return compileSpec(located.value);
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    const { line, column } = located.positionOf(err.path);
    const where = err.path.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("").replace(/^\./, "");
    throw new RulesFileError(`${fileName}:${line}:${column}: ${where ? `${where}: ` : ""}${err.message}`);
  }
}

export async function loadRulesFile(file: string): Promise<CompiledRules> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    throw new RulesFileError(`cannot read rules file ${file}: ${(err as Error).message}`);
  }
  return compileRulesText(text, file);
}
