import { startBroker } from "/work/main/src/broker/referenceBroker.ts";
import { Publisher } from "zeromq";
import fs from "node:fs";
import { execFileSync } from "node:child_process";
const pub = "tcp://127.0.0.1:47121", sub = "tcp://127.0.0.1:47122";
const b = await startBroker({ pub, sub });
const logsDir = "/tmp/lt/exp2";
const sh = (...a: string[]) => { try { return execFileSync(process.execPath, ["/work/main/bin/shearwater.js", ...a], { encoding: "utf8" }); } catch (e: any) { return "ERR " + e.stderr; } };
console.log(sh("launch", "--agent", "alpha", "--json", "--logs", logsDir, "--broker", sub, "--pid", String(process.pid)));
const s = new Publisher({ linger: 0 }); s.connect(pub);
for (let i = 0; i < 20; i++) { await s.send(["chat", JSON.stringify({ sender: "x", text: "m" + i })]); await new Promise(r => setTimeout(r, 100)); }
console.log(sh("launch", "--agent", "beta", "--json", "--logs", logsDir, "--broker", sub, "--pid", String(process.pid)));
console.log(sh("stop", "--agent", "alpha", "--json", "--logs", logsDir));
for (let i = 20; i < 40; i++) { await s.send(["chat", JSON.stringify({ sender: "x", text: "m" + i })]); await new Promise(r => setTimeout(r, 100)); }
console.log(fs.readFileSync(logsDir + "/current_session.jsonl", "utf8").split("\n").map(l => l.slice(0, 150)).join("\n"));
console.log(fs.readFileSync(logsDir + "/recorder.status.json", "utf8").slice(0, 600));
console.log(sh("stop", "--json", "--logs", logsDir));
b.stop();
