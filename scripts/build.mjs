#!/usr/bin/env node
// The build: the TypeScript sources bundled into plain JavaScript under dist/, so no command compiles anything when
// it runs. One bundle per entry point, split into shared chunks so that a command loads only what it runs (the Ink
// UI, the search index and ZeroMQ stay in chunks loaded on first use). Native modules are left to node_modules.
// `node scripts/build.mjs` (npm's `prepare` runs it); `--types` also writes the library's .d.ts files.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");

/** The entry points: the executable's program, the index worker (a child process of its own), the TUI's search
 * thread, the library. */
const ENTRIES = { cli: "cli.ts", indexWorker: "src/search/indexWorker.ts", searchWorker: "components/store/searchWorker.ts", index: "index.ts" };

// Bundled CommonJS packages call require(); an ES module has none, so each output file makes its own.
const BANNER = `import { createRequire as __shearwaterRequire } from "node:module"; const require = __shearwaterRequire(import.meta.url);`;

/** A running program loads chunks lazily, possibly of an earlier build: those are removed only once this old. */
const EARLIER_BUILD_KEPT_MS = 15 * 60_000;

/**
 * Every `string-width` in the bundle (Ink's, its helpers', ours) answers text made only of one-column characters by
 * its length before it segments graphemes: the same answer (test/text/narrowText.test.ts checks it against
 * string-width), at a fraction of the cost per frame. Each importer keeps its own string-width for the rest.
 */
const quickStringWidth = {
  name: "quick-string-width",
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      args.namespace === "quick-string-width" ? undefined : { path: args.resolveDir, namespace: "quick-string-width" },
    );
    b.onLoad({ filter: /.*/, namespace: "quick-string-width" }, (args) => ({
      resolveDir: args.path,
      loader: "js",
      contents: [
        `import stringWidth from "string-width";`,
        `import { narrowWidth } from ${JSON.stringify(path.join(ROOT, "src/text/narrowText.ts"))};`,
        `export default (text, options) => (options?.ambiguousIsNarrow === false || options?.countAnsiEscapeCodes ? undefined : narrowWidth(text)) ?? stringWidth(text, options);`,
      ].join("\n"),
    }));
  },
};

/**
 * Yoga (Ink's layout engine) carries its WebAssembly as a base64 data: URL, which its loader hands to fetch() when
 * there is one: that loads Node's whole fetch implementation (undici, about 40 ms of a first screen) to decode a
 * string. The loader's own decoder, which it uses where there is no fetch, reads the same bytes.
 */
const yogaWithoutFetch = {
  name: "yoga-without-fetch",
  setup(b) {
    const ASKS_FETCH = `function ya(){return w||"function"!=typeof fetch?`;
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, "utf8");
      if (!source.includes(ASKS_FETCH)) throw new Error(`yoga-layout's loader changed: ${args.path} no longer reads its wasm as expected`);
      return { contents: source.replace(ASKS_FETCH, `function ya(){return true?`), loader: "js" };
    });
  },
};

/**
 * Ink composes each frame's screen through Output.get(), cell by cell, again for rows that did not change: the
 * build puts in its place the same composition remembered row by row (components/inkOutputRows.ts), handed what
 * Ink's output.js imports.
 */
const inkRowCachedOutput = {
  name: "ink-row-cached-output",
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, "utf8");
      const imports = ["sliceAnsi", "stringWidth", "styledCharsFromTokens", "tokenize"];
      if (!/^export default class Output \{$/m.test(source) || !imports.every((name) => source.includes(name))) {
        throw new Error(`Ink's output.js changed: ${args.path} no longer has what components/inkOutputRows.ts replaces`);
      }
      const glue = [
        `import { rowCachedGet } from ${JSON.stringify(path.join(ROOT, "components/inkOutputRows.ts"))};`,
        `import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental } from "@alcalzone/ansi-tokenize";`,
        `Output.prototype.get = rowCachedGet({ ${imports.join(", ")}, ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental });`,
      ].join("\n");
      return { contents: `${source}\n${glue}\n`, loader: "js", resolveDir: path.dirname(args.path) };
    });
  },
};

export async function build({ types = false } = {}) {
  const { outputFiles } = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: DIST,
    entryNames: "[name]",
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked",
    // Stack traces need only the mappings; the sources they name are in the package. Without a copy of every
    // source inside, a program's start parses a third of the JSON (the UI's map: 1.3 MB → 0.5 MB).
    sourcesContent: false,
    jsx: "automatic",
    // Native addons (and what ink loads only under DEV=true) are resolved at run time from node_modules.
    external: ["better-sqlite3", "zeromq", "react-devtools-core"],
    banner: { js: BANNER },
    // React's production build, as the executable always ran it: several times less work per frame.
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
    plugins: [quickStringWidth, yogaWithoutFetch, inkRowCachedOutput],
    write: false,
  });
  install(outputFiles);
  if (types) execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
}

/**
 * Puts the files in place one by one, each atomically (temporary file, rename), chunks before the entry points that
 * import them: programs started meanwhile (other test runs build at the same time) find either build, whole.
 */
function install(outputFiles) {
  const entries = new Set(Object.keys(ENTRIES).flatMap((name) => [`${name}.js`, `${name}.js.map`].map((f) => path.join(DIST, f))));
  const ordered = [...outputFiles].sort((a, b) => Number(entries.has(a.path)) - Number(entries.has(b.path)));
  for (const file of ordered) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    const tmp = `${file.path}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, file.contents);
    fs.renameSync(tmp, file.path);
  }
  const current = new Set(outputFiles.map((f) => f.path));
  const chunks = path.join(DIST, "chunks");
  for (const name of fs.readdirSync(chunks)) {
    const file = path.join(chunks, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false }); // another build may have just renamed it
    if (stat && !current.has(file) && Date.now() - stat.mtimeMs > EARLIER_BUILD_KEPT_MS) fs.rmSync(file, { force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await build({ types: process.argv.includes("--types") });
}
