import fs from "node:fs";
import { packageFile } from "../packageRoot.ts";

export const version = (JSON.parse(fs.readFileSync(packageFile("package.json"), "utf8")) as { version: string }).version;
