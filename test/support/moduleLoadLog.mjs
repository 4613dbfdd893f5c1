// Preloaded with `--import` (through NODE_OPTIONS, so child processes load it too): appends the URL of every module
// a process resolves to the file named by SHEARWATER_TEST_MODULE_LOG, to see what a command's processes load.
import fs from "node:fs";
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

// The same file is the hooks module: Node runs hooks on a thread of their own, where this registers nothing.
if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  fs.appendFileSync(process.env.SHEARWATER_TEST_MODULE_LOG, `${process.pid} ${resolved.url}\n`);
  return resolved;
}
