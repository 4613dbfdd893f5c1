// Who said a message, in a line: its sender and recipient, and for a message read from an agent's transcript its
// role, the subagent whose thread it is in, and whether a rewind took it back. Not sanitized: callers do.
import type { MessageRecord } from "../record.ts";

export function speakerOf(rec: MessageRecord): string {
  const m = rec.meta ?? {};
  const who = `${m.agent ?? (rec.topic || "?")}${m.subagent ? ` › ${m.subagent}` : ""}`;
  const to = m.recipient ? ` → ${m.recipient}` : "";
  return `${who}${to}${m.role ? ` · ${m.role}` : ""}${m.rewound ? " (rewound)" : ""}`;
}

/**
 * A record shown dimmed: what a transcript says about itself (hooks, snapshots, metadata), not conversation, and a
 * message a rewind took out of the conversation.
 */
export function isAside(rec: MessageRecord): boolean {
  return rec.meta?.role === "system" || rec.meta?.rewound === true;
}
