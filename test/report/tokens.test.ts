// Tokens and cost from imported transcripts: the sums a report gives equal the final usage of each model response
// counted by hand from the fixture files (a response's usage repeats over its lines, and must count once).
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.ts";
import { importTranscripts } from "../../src/transcripts/importer.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { tmpDir } from "../helpers/tmp.ts";

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "transcripts");

// From the files: claude/s1.jsonl's last usage per message id (msg_A … msg_D on claude-opus-4-6, msg_E on
// claude-sonnet-4-5); codex's last total_token_usage (input 11000 of which 9000 cached, output 350).
const OPUS = { input: 3 + 5 + 7 + 1, output: 90 + 40 + 30 + 2, cache_read: 1000 + 2000 + 3000, cache_write: 200 };
const SONNET = { input: 2, output: 5, cache_read: 100, cache_write: 50 };
const CODEX = { input: 2000, output: 350, cache_read: 9000, cache_write: 0 };

describe("report: tokens and cost", () => {
  it("sums tokens once per response by model and agent, and prices them (defaults, overridden by --price)", async () => {
    const logs = path.join(await tmpDir(), "logs");
    await importTranscripts(logs, [path.join(FIXTURES, "claude", "s1.jsonl"), path.join(FIXTURES, "codex", "rollout-2025-09-19T09-00-00-cx1.jsonl")]);
    const run = shearwaterSync("report", "--logs", logs, "--all", "--json", "--price", "claude-opus-4-6=10,100,1,2");
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as Report;
    expect(r.tokens_by_model).toEqual({ "claude-opus-4-6": OPUS, "gpt-5-codex": CODEX, "claude-sonnet-4-5": SONNET });
    expect(r.tokens_by_agent.codex_cli).toEqual(CODEX);
    expect(r.tokens_by_agent.claude_code).toEqual({
      input: OPUS.input + SONNET.input, output: OPUS.output + SONNET.output,
      cache_read: OPUS.cache_read + SONNET.cache_read, cache_write: OPUS.cache_write + SONNET.cache_write,
    });
    const opusCost = (16 * 10 + 162 * 100 + 6000 * 1 + 200 * 2) / 1e6;
    const codexCost = (2000 * 1.25 + 350 * 10 + 9000 * 0.125) / 1e6;
    const sonnetCost = (2 * 3 + 5 * 15 + 100 * 0.3 + 50 * 3.75) / 1e6;
    expect(r.cost_usd.by_model["claude-opus-4-6"]).toBeCloseTo(opusCost, 5);
    expect(r.cost_usd.by_model["gpt-5-codex"]).toBeCloseTo(codexCost, 5);
    expect(r.cost_usd.by_model["claude-sonnet-4-5"]).toBeCloseTo(sonnetCost, 5);
    expect(r.cost_usd.total).toBeCloseTo(opusCost + codexCost + sonnetCost, 5);
    expect(r.cost_usd.unpriced_models).toEqual([]);
    expect(r.cost_usd.prices).toBe("defaults (list prices of 2025-11-24), changed by --price");
  });

  it("leaves a model without a price out of the total and names it; a prices file replaces entries", async () => {
    const dir = await tmpDir();
    const logs = path.join(dir, "logs");
    await importTranscripts(logs, [path.join(FIXTURES, "claude", "s1.jsonl")]);
    const plain = JSON.parse(shearwaterSync("report", "--logs", logs, "--all", "--json").stdout) as Report;
    expect(plain.cost_usd.by_model["claude-opus-4-6"]).toBeNull();
    expect(plain.cost_usd.unpriced_models).toEqual(["claude-opus-4-6"]);
    expect(plain.cost_usd.total).toBeCloseTo((2 * 3 + 5 * 15 + 100 * 0.3 + 50 * 3.75) / 1e6, 5);

    const prices = path.join(dir, "prices.json");
    await import("node:fs/promises").then((fs) => fs.writeFile(prices, JSON.stringify({ "claude-sonnet-4-5": { input: 1000000, output: 0 } })));
    const priced = JSON.parse(shearwaterSync("report", "--logs", logs, "--all", "--json", "--prices", prices).stdout) as Report;
    expect(priced.cost_usd.by_model["claude-sonnet-4-5"]).toBe(2);

    await import("node:fs/promises").then((fs) => fs.writeFile(prices, JSON.stringify({ "claude-sonnet-4-5": { input: -1 } })));
    const bad = shearwaterSync("report", "--logs", logs, "--all", "--prices", prices);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("a price must be a number ≥ 0");
  });
});
