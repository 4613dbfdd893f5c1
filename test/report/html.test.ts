// `shearwater report --html FILE` opened in headless Chromium: the page renders without a console message, each
// chart's SVG has a bar per figure, text from messages stays text, and nothing is fetched.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.ts";
import { renderInChromium } from "../helpers/chromium.ts";
import { shearwaterSync } from "../helpers/cli.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { KNOWN, writeSession } from "./sessions.ts";

/** The <rect class="bar"> elements of each chart section of a rendered page. */
function barsPerChart(dom: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of dom.matchAll(/<section id="chart-([a-z-]+)">(.*?)<\/section>/gs)) out[m[1]] = (m[2].match(/<rect class="bar"/g) ?? []).length;
  return out;
}

describe("report --html", () => {
  it("renders in Chromium without console errors, a bar per figure in each chart, hostile labels as text", async () => {
    const dir = await tmpDir();
    const logs = path.join(dir, "logs");
    await writeSession(logs, [...KNOWN, { at: 20, meta: { agent: `<script>console.error("injected")</script><img src=x onerror=alert(1)>`, ace_tier: 3 } }]);
    const file = path.join(dir, "report.html");
    const run = shearwaterSync("report", "--logs", logs, "--html", file);
    expect(run.status, run.stderr).toBe(0);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const html = await fs.readFile(file, "utf8");
    expect(html.replaceAll("http://www.w3.org/2000/svg", "")).not.toMatch(/https?:|<[^>]*\b(src|href)=|<link|<script/i);

    const page = renderInChromium(file, dir);
    expect(page.console).toEqual([]);
    expect(page.dom).not.toContain("<img");
    const r = JSON.parse(shearwaterSync("report", "--logs", logs, "--json").stdout) as Report;
    const bars = barsPerChart(page.dom);
    expect(bars.agents).toBe(Object.keys(r.messages_by_agent).length);
    expect(bars.recipients).toBe(Object.keys(r.messages_by_recipient).length);
    expect(bars.tiers).toBe(3);
    expect(bars["chain-types"]).toBe(6); // the five of KNOWN and "(none)"
    expect(bars.tags).toBe(3);
    expect(bars.hours).toBe(2);
    expect(bars.latency).toBe(3);
    expect(bars.errors).toBe(5);
    expect(bars.chains).toBe(6);
    expect(bars["tokens-model"]).toBe(0); // no transcripts: the section says "(none)"
    expect(page.dom).toMatch(/<section id="chart-tokens-model">.*\(none\)/s);
  });

  it("the console check sees a page's errors (a page that logs one fails it)", async () => {
    const dir = await tmpDir();
    const file = path.join(dir, "bad.html");
    await fs.writeFile(file, `<!DOCTYPE html><html><body><script>console.error("broken chart")</script></body></html>`);
    expect(renderInChromium(file, dir).console.join("\n")).toContain("broken chart");
  });
});
