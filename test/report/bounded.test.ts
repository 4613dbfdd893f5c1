// A report's memory is bounded whatever the session: samples keep at most their capacity (exact below it), counters
// at most their number of keys (the rest counted together), open chains are closed when too many are open.
import { describe, expect, it } from "vitest";
import { ChainTracker } from "../../src/report/chains.ts";
import { Counter, OTHER } from "../../src/report/counter.ts";
import { RecentSlots } from "../../src/report/recentSlots.ts";
import { Sample } from "../../src/report/sample.ts";

describe("bounded figures", () => {
  it("a sample is exact up to its capacity and close beyond it, n, max and mean always exact", () => {
    const exact = new Sample(100);
    for (const v of [5, 1, 4, 2, 3]) exact.add(v);
    expect(exact.percentiles()).toEqual({ p50: 3, p95: 5, max: 5, mean: 3, n: 5 });

    const sampled = new Sample(1000);
    for (let i = 1; i <= 100_000; i++) sampled.add(i);
    const p = sampled.percentiles();
    expect(p.n).toBe(100_000);
    expect(p.max).toBe(100_000);
    expect(p.mean).toBe(50_000.5);
    expect(Math.abs(p.p50 - 50_000)).toBeLessThan(5_000);
    expect(Math.abs(p.p95 - 95_000)).toBeLessThan(3_000);
  });

  it("a counter keeps at most its number of keys; later new keys count together", () => {
    const c = new Counter(3);
    for (const k of ["a", "b", "c", "d", "e", "a"]) c.add(k);
    expect(c.toObject()).toEqual({ a: 2, [OTHER]: 2, b: 1, c: 1 });
  });

  it("chains closed for lack of room still count, as they stood", () => {
    const chains = new ChainTracker();
    chains.add("early", 0, "a", false);
    chains.add("early", 7, "b", true);
    for (let i = 0; i < 100_010; i++) chains.add(`c${i}`, i, "a", false); // "early" is closed to make room
    for (let i = 0; i < 3; i++) chains.add("long", i * 10, `x${i}`, i === 1);
    const f = chains.figures();
    expect(f.count).toBe(2);
    expect(f.handoffs).toBe(2);
    expect(f.duration_ms.max).toBe(20);
    expect(f.longest[0]).toEqual({ chain_id: "long", messages: 3, duration_ms: 20, handoffs: 1, agents: ["x0", "x1", "x2"] });
  });

  it("recent keys: the last half of the capacity always held, never more than the capacity, each evicted once", () => {
    const evicted: string[] = [];
    const slots = new RecentSlots(10, (_, key) => evicted.push(key));
    const held = new Map<number, string>();
    for (let i = 0; i < 1000; i++) {
      const key = `k${i}`;
      const slot = slots.add(key);
      expect(slot).toBeLessThan(10);
      expect(held.has(slot) && !evicted.includes(held.get(slot)!)).toBe(false); // a slot is given again only once let go
      held.set(slot, key);
      for (let back = 0; back < 5 && back <= i; back++) expect(slots.find(`k${i - back}`), `k${i - back} after k${i}`).toBeGreaterThanOrEqual(0);
    }
    expect(slots.find("k3")).toBe(-1);
    const kept = new RecentSlots(10, () => {});
    kept.add("kept");
    for (let i = 0; i < 1000; i++) {
      kept.add(`k${i}`);
      if (i % 4 === 0) expect(kept.find("kept"), `after k${i}`).toBeGreaterThanOrEqual(0); // among the last five seen each time
    }
    slots.evictAll();
    expect(new Set(evicted).size).toBe(evicted.length);
    expect(evicted).toHaveLength(1000);
    expect(slots.find("k999")).toBe(-1);
  });

  it("chains interleaved many at a time are measured whole", () => {
    const chains = new ChainTracker();
    // 40,000 chains open at once, each of 3 messages by 3 agents spread over 80,000 others' messages
    for (let round = 0; round < 3; round++) for (let c = 0; c < 40_000; c++) chains.add(`c${c}`, round * 1000 + c, `agent${round}`, round === 2);
    const f = chains.figures();
    expect(f.count).toBe(40_000);
    expect(f.length).toMatchObject({ p50: 3, max: 3 });
    expect(f.duration_ms).toMatchObject({ p50: 2000, max: 2000 });
    expect(f.handoffs).toBe(40_000);
    expect(f.agents_per_chain).toMatchObject({ p50: 3, max: 3 });
  });
});
