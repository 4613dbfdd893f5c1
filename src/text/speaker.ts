// Who said a message, in a line: its sender and recipient, and for a message read from an agent's transcript its
// role, the subagent whose thread it is in, and whether a rewind took it back; a search hit's likewise. Not
// sanitized: callers do.
import type { MessageRecord } from "../record.ts";
import type { HitFields } from "../search/hitFields.ts";

const REWOUND = " (rewound)";

/** `withRole: false` leaves the role out, for the TUI's message rows, which show it in a column of its own. */
export function speakerOf(rec: MessageRecord, { withRole = true }: { withRole?: boolean } = {}): string {
  const m = rec.meta ?? {};
  const who = `${m.agent ?? (rec.topic || "?")}${m.subagent ? ` › ${m.subagent}` : ""}`;
  const to = m.recipient ? ` → ${m.recipient}` : "";
  return `${who}${to}${withRole && m.role ? ` · ${m.role}` : ""}${m.rewound ? REWOUND : ""}`;
}

/** Who said a search hit's message, as a row of messages says it (a hit has no role or subagent to tell). */
export function hitSpeakerOf(h: Pick<HitFields, "agent" | "topic" | "recipient" | "rewound">): string {
  return `${h.agent || h.topic || "?"}${h.recipient ? ` → ${h.recipient}` : ""}${h.rewound ? REWOUND : ""}`;
}

/**
 * A record shown dimmed: what a transcript says about itself (hooks, snapshots, metadata), not conversation, and a
 * message a rewind took out of the conversation.
 */
export function isAside(rec: MessageRecord): boolean {
  return rec.meta?.role === "system" || rec.meta?.rewound === true;
}
