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
  private readonly next = new Map<string, number>();

  constructor(private readonly maxSenders = 10_000) {}

  /** Records that `sender` sent number `seq`; returns the gap when numbers were skipped. */
  observe(sender: string, seq: number): Gap | null {
    const expected = this.next.get(sender);
    this.next.delete(sender); // re-insert: the map's order is least recently seen first
    this.next.set(sender, seq + 1);
    if (this.next.size > this.maxSenders) this.next.delete(this.next.keys().next().value as string);
    // A lower number means the publisher restarted its count: a new run, not a gap.
    if (expected === undefined || seq <= expected) return null;
    return { sender, expected, received: seq, missing: seq - expected };
  }
}
