#!/usr/bin/env node
// The executable: runs the built program (dist/, written by `npm run build`, which `npm ci` runs as `prepare`).
process.setSourceMapsEnabled(true); // stack traces name the TypeScript sources
try {
  await import("../dist/cli.js");
} catch (err) {
  if (err?.code !== "ERR_MODULE_NOT_FOUND" || !String(err.message).includes("dist/cli.js")) throw err;
  process.stderr.write("shearwater: the program is not built yet: run `npm run build` (or `npm ci`) in its folder\n");
  process.exitCode = 1;
}
