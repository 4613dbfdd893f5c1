// Pages opened in a real browser: Debian's headless Chromium (.ci/run installs it), with no network services, its
// DOM after rendering and every console message the page produced.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

export interface RenderedPage {
  dom: string;
  /** Console messages and uncaught errors of the page. */
  console: string[];
}

/** Renders `file` headless; throws, saying what to install, when Chromium does not run. */
export function renderInChromium(file: string, profileDir: string): RenderedPage {
  const run = spawnSync(
    CHROMIUM,
    [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", `--user-data-dir=${path.join(profileDir, "chromium-profile")}`,
      "--enable-logging=stderr", "--v=0", "--dump-dom", pathToFileURL(file).href,
    ],
    { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.error || run.status !== 0) {
    throw new Error(`headless Chromium did not run (${run.error?.message ?? `exit ${run.status}`}): install it with apt-get install chromium\n${run.stderr ?? ""}`);
  }
  return { dom: run.stdout, console: run.stderr.split("\n").filter((l) => /:CONSOLE[:(]|Uncaught/.test(l)) };
}
