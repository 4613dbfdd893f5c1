// Filter values as index terms: each message's agent, recipient, types, tier, tags and topic (and a transcript
// message's tools, model, role, error, rewound and format) become tokens of a second FTS5 column, so `from:` `to:` `type:`
// `tier:` `tag:` `topic:` (`tool:` `model:` `role:` `has:` `source:`) are answered by FTS5 intersecting posting
// lists rather than by looking up every matching message. A token is a field letter and the value in hex (the
// tokenizer keeps letters and digits only); hex keeps prefixes, which `topic:` needs.
import type { Filters } from "./queryParser.ts";
import type { DocFields } from "./recordFields.ts";

const hex = (value: string) => Buffer.from(value.toLowerCase()).toString("hex");
const token = (field: string, value: string) => `z${field}${hex(value)}`;
/** `has:error`, `has:rewound`. */
const HAS_FIELD = "e";

/** The facet column's text for one message. */
export function facetText(d: DocFields): string {
  const out: string[] = [];
  if (d.agent) out.push(token("f", d.agent));
  if (d.recipient) out.push(token("r", d.recipient));
  if (d.type) out.push(token("y", d.type));
  if (d.chain) out.push(token("y", d.chain));
  if (d.tier !== null) out.push(token("t", String(d.tier)));
  for (const t of d.tags) out.push(token("g", t));
  out.push(token("p", d.topic));
  for (const t of d.tools) out.push(token("k", t));
  if (d.model) out.push(token("m", d.model));
  if (d.role) out.push(token("l", d.role));
  if (d.error) out.push(token(HAS_FIELD, "error"));
  if (d.rewound) out.push(token(HAS_FIELD, "rewound"));
  if (d.source) out.push(token("s", d.source));
  return out.join(" ");
}

/** The FTS5 expression for the field filters (one of the values per field, every field), or null without any. */
export function facetExpression(f: Filters): string | null {
  return groupsExpression(facetGroups(f));
}

/** The transcript filters alone (the docs table has no columns for them: filter-only queries ask FTS5 for these). */
export function transcriptFacetExpression(f: Filters): string | null {
  return groupsExpression(groupsOf(transcriptFields(f)));
}

type FieldValues = Array<[string, Array<string | number>, boolean]>;

function transcriptFields(f: Filters): FieldValues {
  return [
    ["k", f.tool, false],
    ["m", f.model, false],
    ["l", f.role, false],
    [HAS_FIELD, f.has, false],
    ["s", f.source, false],
  ];
}

/** `has:` alone, as token groups: an archive meets `has:rewound` by a tap's events too (src/archive/tappedRewinds.ts). */
export function hasGroups(has: string[]): FacetGroup[] {
  return groupsOf([[HAS_FIELD, has, false]]);
}

/** A message matches the field filters when it has one of the tokens of every group (`prefix`: one beginning so). */
export interface FacetGroup {
  tokens: string[];
  prefix: boolean;
}

/** The field filters as facet token groups, for an index of another kind than FTS5 (the archive's PostgreSQL). */
export function facetGroups(f: Filters): FacetGroup[] {
  return groupsOf([
    ["f", f.from, false],
    ["r", f.to, false],
    ["y", f.type, false],
    ["t", f.tier, false],
    ["g", f.tag, false],
    ["p", f.topic, true],
    ...transcriptFields(f),
  ]);
}

function groupsOf(fields: FieldValues): FacetGroup[] {
  return fields
    .filter(([, values]) => values.length > 0)
    .map(([field, values, prefix]) => ({ tokens: values.map((v) => token(field, String(v))), prefix }));
}

/** Token groups as an FTS5 expression (a token of every group), or null without any. */
export function groupsExpression(groups: FacetGroup[]): string | null {
  const alts = groups.map(({ tokens, prefix }) => `facets : (${tokens.map((t) => `"${t}"${prefix ? "*" : ""}`).join(" OR ")})`);
  return alts.length > 0 ? alts.join(" AND ") : null;
}
