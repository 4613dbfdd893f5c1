// The built-in enrichment rules, documented in docs/ENRICHMENT.md; `--rules FILE` replaces them.
import type { RulesSpec } from "./rulesSpec.ts";

const ERROR_TYPES = ["error", "exception", "failure", "failed", "fatal", "alert"];
const HUMANS = ["human", "user", "operator", "admin", "owner"];
const EVERYONE = ["all", "*", "everyone", "broadcast"];

export const DEFAULT_RULES: RulesSpec = {
  agent_fields: ["sender", "from", "agent", "source"],
  recipient_fields: ["recipient", "to", "target"],
  tier_fields: ["ace_tier", "tier"],
  id_fields: ["id", "message_id", "msg_id"],
  reply_fields: ["reply_to", "in_reply_to", "parent_id"],
  text_fields: ["text", "content", "message", "body"],
  tag_fields: ["tags"],
  default_tier: 3,
  rules: [
    {
      name: "error",
      when: [
        { "payload.type": { in: ERROR_TYPES } },
        { "payload.level": { in: ["error", "fatal", "critical"] } },
        { "payload.error": { exists: true } },
        { topic: { matches: "(^|[./:_-])(error|errors|alert|alerts)($|[./:_-])" } },
      ],
      set: { ace_tier: 1, chain_type: "error" },
      tags: ["error"],
    },
    {
      name: "escalation",
      when: [
        { "payload.type": { in: ["escalation", "escalate"] } },
        { text: { matches: "\\b(urgent|escalat\\w*|emergency)\\b" } },
      ],
      set: { ace_tier: 1 },
      tags: ["escalation"],
    },
    { name: "to a human", when: { recipient: { in: HUMANS } }, set: { ace_tier: 1 }, tags: ["human"] },
    {
      name: "handoff",
      when: [
        { "payload.type": { in: ["handoff", "hand_off", "delegate", "delegation", "transfer"] } },
        { text: { matches: "\\bhand(ing|ed|s)?[ -]?off\\b" } },
      ],
      set: { ace_tier: 2, chain_type: "handoff" },
      tags: ["handoff"],
    },
    {
      name: "system",
      when: [
        { "payload.type": { in: ["system", "status", "heartbeat", "ping", "pong", "hello", "join", "leave", "register"] } },
        { topic: { matches: "^(system|sys|control|heartbeat)($|[./:_-])" } },
      ],
      set: { ace_tier: 3, chain_type: "system" },
    },
    {
      name: "response",
      when: [{ reply_to: { exists: true } }, { "payload.type": { in: ["response", "reply", "answer", "result"] } }],
      set: { chain_type: "response" },
    },
    { name: "to everyone", when: { recipient: { in: EVERYONE } }, set: { chain_type: "broadcast" } },
    {
      name: "request",
      when: [
        { "payload.type": { in: ["request", "question", "task", "query", "command"] } },
        { recipient: { exists: true } },
        { text: { matches: "\\?\\s*$" } },
      ],
      set: { ace_tier: 2, chain_type: "request" },
    },
    { name: "broadcast", when: {}, set: { chain_type: "broadcast" } },
  ],
};
