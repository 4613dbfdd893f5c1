// A report's memory is bounded whatever the session: samples keep at most their capacity (exact below it), counters
// at most their number of keys (the rest counted together), open chains are closed when too many are open.
import { describe, expect, it } from "vitest";
import { ChainTracker } from "../../src/report/chains.ts";
import { Counter, OTHER } from "../../src/report/counter.ts";
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
});
