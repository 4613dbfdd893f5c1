// The package's own files (its executable, the built index worker, package.json), found from wherever this code
// runs: under src/ when tests and benchmarks import the sources, under dist/chunks/ once built.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function packageRootAbove(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${file}`);
  }
}

export const PACKAGE_ROOT = packageRootAbove(fileURLToPath(import.meta.url));

export const packageFile = (...parts: string[]): string => path.join(PACKAGE_ROOT, ...parts);
