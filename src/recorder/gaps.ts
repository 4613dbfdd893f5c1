// Per-sender sequence tracking: publishers that number their messages (`seq` / `sequence` in the payload) let the
// recorder notice messages it never received (published while it was disconnected, or dropped by the broker).

export interface Gap {
  sender: string;
  expected: number;
  received: number;
  missing: number;
}

export function sequenceOf(payload: unknown): number | undefined {
  if (typeof payload !== "object" || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const n = p.seq ?? p.sequence;
  return typeof n === "number" && Number.isSafeInteger(n) ? n : undefined;
}

export class GapTracker {
  /** sender → the number expected next, and when the sender was last seen (a count of observations). */
  private readonly senders = new Map<string, { next: number; seen: number }>();
  private observed = 0;

  constructor(private readonly maxSenders = 10_000) {}

  /** Records that `sender` sent number `seq`; returns the gap when numbers were skipped. */
  observe(sender: string, seq: number): Gap | null {
    const known = this.senders.get(sender);
    const expected = known?.next;
    if (known) {
      known.next = seq + 1;
      known.seen = ++this.observed;
    } else {
      this.senders.set(sender, { next: seq + 1, seen: ++this.observed });
      if (this.senders.size > this.maxSenders) this.forgetLeastRecent();
    }
    // A lower number means the publisher restarted its count: a new run, not a gap.
    if (expected === undefined || seq <= expected) return null;
    return { sender, expected, received: seq, missing: seq - expected };
  }

  /** Forgets the least recently seen half at once, so that many senders cost O(log n) per new one, not O(n). */
  private forgetLeastRecent(): void {
    const seen = [...this.senders.values()].map((s) => s.seen).sort((a, b) => a - b);
    const cutoff = seen[seen.length >> 1];
    for (const [sender, s] of this.senders) if (s.seen < cutoff) this.senders.delete(sender);
  }
}
