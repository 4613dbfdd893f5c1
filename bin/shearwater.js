#!/usr/bin/env node
// The executable: runs the TypeScript sources through tsx's loader and plugs the Ink UI into the core.
import { register } from "tsx/esm/api";

process.env.NODE_ENV ??= "production"; // React's production build: several times less work per frame
register();
const src = (file) => import(new URL(`../${file}`, import.meta.url).href);
const { provideTerminalUi } = await src("src/ui.ts");
provideTerminalUi(() => src("components/index.ts"));
const { runCli } = await src("src/cli/main.ts");
process.exitCode = await runCli(process.argv.slice(2));
