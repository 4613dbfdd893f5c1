// Loaded first into a program under test (`node --import moduleLog.mjs …`): appends the URL of every module the
// program imports to the file named by SHEARWATER_TEST_MODULE_LOG, so a test can tell what a screen made it load.
import { register } from "node:module";

const log = process.env.SHEARWATER_TEST_MODULE_LOG;
if (log) {
  const hooks = `import fs from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  fs.appendFileSync(${JSON.stringify(log)}, resolved.url + "\\n");
  return resolved;
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
