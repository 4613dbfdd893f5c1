// Every test run starts from a fresh build: the tests spawn the executable, which runs dist/.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function buildBeforeTests(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL("../../scripts/build.mjs", import.meta.url))], { stdio: "inherit" });
}
