// The executable's program (bundled into dist/cli.js, which bin/shearwater.js runs): the core's CLI with the Ink UI
// plugged in, loaded only when a command draws.
import { provideTerminalUi } from "./src/ui.ts";
import { runCli } from "./src/cli/main.ts";

provideTerminalUi(() => import("./components/index.ts"));
process.exitCode = await runCli(process.argv.slice(2));
