// The shape of an enrichment rules file (docs/ENRICHMENT.md), shared by the built-in rules (defaultRules.ts) and
// the file reader that validates and compiles one (rulesFile.ts).
import type { Meta } from "../record.ts";

export type Scalar = string | number | boolean | null;
export type Matcher = Scalar | { in: Scalar[] } | { matches: string } | { exists: boolean };
/** Every field's matcher must hold; an array of conditions holds when any of them does. */
export type Condition = Record<string, Matcher>;

export interface RuleSpec {
  name: string;
  when: Condition | Condition[];
  set?: { ace_tier?: 1 | 2 | 3; chain_type?: NonNullable<Meta["chain_type"]> };
  tags?: string[];
}

export const FIELD_LISTS = ["agent_fields", "recipient_fields", "tier_fields", "id_fields", "reply_fields", "text_fields", "tag_fields"] as const;
export type FieldList = (typeof FIELD_LISTS)[number];

export type RulesSpec = Record<FieldList, string[]> & { default_tier: 1 | 2 | 3; rules: RuleSpec[] };
