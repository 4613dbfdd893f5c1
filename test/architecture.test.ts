// The rules of docs/ARCHITECTURE.md, checked on the import graph: the core (src/) never imports the Ink UI, the
// recorder's import closure reaches neither the search index, the reports nor the UI, and no two files import each other.
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCycles, importGraph, importPath } from "./helpers/importGraph.ts";
import { tmpDir } from "./helpers/tmp.ts";

const PROJECT = fileURLToPath(new URL("..", import.meta.url));
const UI_PACKAGES = ["ink", "react", "ink-testing-library"];
/** The library's and the executable's entries, and the two trees they load. */
const ENTRY_POINTS = ["index.ts", "cli.ts", "src", "components"];

/** Every broken rule of the tree at `root`, one sentence each. */
function violations(root: string): string[] {
  const at = (...parts: string[]) => path.join(root, ...parts);
  const inside = (dir: string) => (file: string) => file.startsWith(dir + path.sep);
  const rel = (file: string) => path.relative(root, file);
  const graph = importGraph(root, ENTRY_POINTS);
  const out = [...graph.problems.map((p) => p.replaceAll(root + path.sep, ""))];
  const isUi = (file: string) => inside(at("components"))(file) || file === at("src", "ui.ts");
  const uiPackages = (file: string) => UI_PACKAGES.filter((p) => graph.packages.get(file)?.has(p));

  const core = [...graph.files.keys()].filter(inside(at("src")));
  for (const file of core) {
    for (const target of graph.files.get(file)!) if (inside(at("components"))(target)) out.push(`${rel(file)} imports ${rel(target)}`);
    for (const p of uiPackages(file)) out.push(`${rel(file)} imports ${p}`);
  }

  for (const start of core.filter(inside(at("src", "recorder")))) {
    const forbidden = (file: string) =>
      inside(at("src", "search"))(file) || inside(at("src", "report"))(file) || isUi(file) || uiPackages(file).length > 0;
    const chain = importPath(graph, start, forbidden);
    if (chain) out.push(`the recorder reaches ${rel(chain.at(-1)!)}: ${chain.map(rel).join(" → ")}`);
  }

  for (const cycle of importCycles(graph)) out.push(`import cycle: ${cycle.map(rel).join(" ↔ ")}`);
  return [...new Set(out)];
}

describe("the architecture's import rules", () => {
  it("hold in this tree", () => {
    const graph = importGraph(PROJECT, ["src/recorder"]);
    expect(graph.files.size).toBeGreaterThan(5); // the rules have files to apply to
    expect(violations(PROJECT)).toEqual([]);
  });

  it("are broken by a core file importing the UI, ink or react", async () => {
    const root = await tree({
      "src/core.ts": `import { App } from "../components/App.tsx";\nimport { Box } from "ink";\nexport const x = App;`,
      "src/lazy.ts": `export const load = () => import("../components/index.ts");`,
      "src/types.ts": `export type T = import("react").ReactNode;`,
      "components/App.tsx": `export const App = 1;`,
      "components/index.ts": `export {};`,
    });
    expect(violations(root)).toEqual(expect.arrayContaining([
      "src/core.ts imports components/App.tsx",
      "src/core.ts imports ink",
      "src/lazy.ts imports components/index.ts",
      "src/types.ts imports react",
    ]));
  });

  it("are broken by the recorder reaching the search index, the reports or the UI through other files", async () => {
    const root = await tree({
      "src/recorder/recorder.ts": `import { helper } from "../storage/helper.ts";\nexport const r = helper;`,
      "src/storage/helper.ts": `export type { Hit } from "../search/search.ts";\nexport const helper = 1;`,
      "src/search/search.ts": `export interface Hit { n: number }`,
      "src/recorder/status.ts": `import type { TuiOptions } from "../ui.ts";\nexport type S = TuiOptions;`,
      "src/ui.ts": `export interface TuiOptions { x: number }`,
      "src/recorder/alerts.ts": `import { makeReport } from "../report/makeReport.ts";\nexport const a = makeReport;`,
      "src/report/makeReport.ts": `export const makeReport = 1;`,
    });
    expect(violations(root)).toEqual([
      "the recorder reaches src/report/makeReport.ts: src/recorder/alerts.ts → src/report/makeReport.ts",
      "the recorder reaches src/search/search.ts: src/recorder/recorder.ts → src/storage/helper.ts → src/search/search.ts",
      "the recorder reaches src/ui.ts: src/recorder/status.ts → src/ui.ts",
    ]);
  });

  it("are broken by any import cycle, type-only imports included, and by an import that cannot be checked", async () => {
    const root = await tree({
      "src/recorder/a.ts": `import type { B } from "./b.ts";\nexport type A = B | 1;`,
      "src/recorder/b.ts": `import type { A } from "./a.ts";\nexport type B = Exclude<A, 1>;`,
      "src/self.ts": `export type { X } from "./self.ts";\nexport type X = 1;`,
      "src/dynamic.ts": `const name = "./a.ts";\nexport const m = () => import(name);`,
      "src/missing.ts": `import "./gone.ts";`,
    });
    expect(violations(root)).toEqual([
      "src/dynamic.ts: import() of a computed name at line 2 cannot be checked",
      "src/missing.ts: imports ./gone.ts, which does not exist",
      "import cycle: src/recorder/a.ts ↔ src/recorder/b.ts",
      "import cycle: src/self.ts",
    ]);
  });
});

/** A small source tree in a temporary folder: path → text. */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await tmpDir();
  await fs.mkdir(path.join(root, "components"));
  for (const entry of ["index.ts", "cli.ts"]) await fs.writeFile(path.join(root, entry), "export {};\n");
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fs.writeFile(path.join(root, file), text);
  }
  return root;
}
