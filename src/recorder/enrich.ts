// `meta` for every message (docs/SPEC.md "Enrichment"): who sent it, to whom, its tier, its role in a chain, tags and
// the chain's root id. Enrichment never fails a message: a rule that throws leaves the record unenriched and is counted.
import type { Meta } from "../record.ts";
import type { CompiledRules, RuleContext } from "./rulesFile.ts";

const HASHTAG = /(?:^|[^\p{L}\p{N}_&#/])#([\p{L}\p{N}_][\p{L}\p{N}_-]{0,63})/gu;
const MAX_TAGS = 32;
const MAX_TEXT_SCANNED = 64 * 1024;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The first of `fields` holding a string (not empty) or a number, as a string. */
export function firstValue(p: Obj | undefined, fields: string[]): string | undefined {
  if (!p) return undefined;
  for (const f of fields) {
    const v = p[f];
    if ((typeof v === "string" && v !== "") || typeof v === "number") return String(v);
  }
  return undefined;
}

function ownTier(p: Obj | undefined, fields: string[]): 1 | 2 | 3 | undefined {
  for (const f of fields) {
    const v = p?.[f];
    if (v === 1 || v === 2 || v === 3) return v;
  }
  return undefined;
}

function collectTags(text: string, p: Obj | undefined, fields: string[], into: Set<string>): void {
  if (text.includes("#")) for (const m of text.slice(0, MAX_TEXT_SCANNED).matchAll(HASHTAG)) into.add(m[1].toLowerCase());
  for (const f of fields) {
    const v = p?.[f];
    if (v === undefined) continue;
    for (const t of Array.isArray(v) ? v : [v]) if (typeof t === "string" && t !== "") into.add(t.replace(/^#/, "").toLowerCase());
  }
}

export class Enricher {
  /** Messages whose enrichment failed (reported in the status). */
  errors = 0;
  lastError?: string;
  /** message id → id of the first message of its reply chain; bounded, oldest forgotten first. */
  private readonly chainRoots = new Map<string, string>();

  constructor(
    private readonly rules: CompiledRules,
    private readonly maxChainIds = 100_000,
  ) {}

  enrich(topic: string, payload: unknown): Meta {
    try {
      return this.apply(topic, payload);
    } catch (err) {
      this.errors++;
      this.lastError = err instanceof Error ? err.message : String(err);
      return { enrich_error: this.lastError };
    }
  }

  private apply(topic: string, payload: unknown): Meta {
    const r = this.rules;
    const p = isObject(payload) ? payload : undefined;
    const ctx: RuleContext = {
      topic,
      payload,
      text: typeof payload === "string" ? payload : (firstValue(p, r.text_fields) ?? ""),
      agent: firstValue(p, r.agent_fields) ?? (topic || undefined),
      recipient: firstValue(p, r.recipient_fields),
      reply_to: firstValue(p, r.reply_fields),
    };
    let tier = ownTier(p, r.tier_fields);
    let chainType: Meta["chain_type"];
    const tags = new Set<string>();
    collectTags(ctx.text, p, r.tag_fields, tags);
    for (const rule of r.rules) {
      let matched: boolean;
      try {
        matched = rule.test(ctx);
      } catch (err) {
        throw new Error(`rule "${rule.name}" failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!matched) continue;
      tier ??= rule.set.ace_tier;
      chainType ??= rule.set.chain_type;
      for (const t of rule.tags) tags.add(t);
    }
    const meta: Meta = {};
    if (ctx.agent !== undefined) meta.agent = ctx.agent;
    if (ctx.recipient !== undefined) meta.recipient = ctx.recipient;
    meta.ace_tier = tier ?? r.default_tier;
    if (chainType) meta.chain_type = chainType;
    if (tags.size > 0) meta.shl_tags = [...tags].slice(0, MAX_TAGS);
    const chainId = this.chainOf(firstValue(p, r.id_fields), ctx.reply_to);
    if (chainId !== undefined) meta.chain_id = chainId;
    return meta;
  }

  private chainOf(id: string | undefined, replyTo: string | undefined): string | undefined {
    const root = replyTo !== undefined ? (this.chainRoots.get(replyTo) ?? replyTo) : id;
    if (id !== undefined && root !== undefined) {
      this.chainRoots.set(id, root);
      if (this.chainRoots.size > this.maxChainIds) this.chainRoots.delete(this.chainRoots.keys().next().value as string);
    }
    return root;
  }
}
